package io.respool.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The launcher pod's requests and limits as the stand-in renders them, after KubeVirt. */
@SuppressWarnings("unchecked")
class KubeVirtStandInTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final long MI = 1L << 20;
    private static final long GI = 1L << 30;
    /** virt-launcher, its monitor, virtlogd, virtqemud, qemu; the IO thread; video memory. */
    private static final long FIXED = 220 * MI + 8 * MI + 16 * MI;

    private static Map<String, Object> domain(String yaml) {
        return JSON.unmarshal(yaml, Map.class);
    }

    private static BigDecimal amount(Map<String, Quantity> quantities, String name) {
        return quantities.get(name).getNumericalAmount();
    }

    private static BigDecimal bytes(long value) {
        return BigDecimal.valueOf(value);
    }

    @Test
    void zeroOrAbsentRequestsBecomeTheLimitsAndTheOverheadIsRequested() {
        KubeVirtStandIn.LauncherResources r = KubeVirtStandIn.launcherResources(domain("""
                cpu: {cores: 4, sockets: 1, threads: 1}
                memory: {guest: 8Gi}
                resources:
                  requests: {cpu: "0"}
                  limits: {cpu: "4", memory: 8Gi}
                """), true);
        // page tables: 1/512 of 8Gi, taken in kB rounded up, is 16Mi; 8Mi per vCPU
        long overhead = 16 * MI + FIXED + 4 * 8 * MI;
        assertThat(amount(r.requests(), "cpu")).isEqualByComparingTo("4");
        assertThat(amount(r.requests(), "memory")).isEqualByComparingTo(bytes(8 * GI + overhead));
        assertThat(amount(r.limits(), "cpu")).isEqualByComparingTo("4");
        assertThat(amount(r.limits(), "memory")).isEqualByComparingTo(bytes(8 * GI + overhead));
    }

    @Test
    void theLeastRequestsAreKeptAndOvercommitGuestOverheadLeavesTheOverheadToTheLimit() {
        KubeVirtStandIn.LauncherResources r = KubeVirtStandIn.launcherResources(domain("""
                cpu: {cores: 4, sockets: 1, threads: 1}
                memory: {guest: 4Gi}
                resources:
                  requests: {cpu: 1m, memory: 1Mi}
                  limits: {cpu: "4", memory: 4Gi}
                  overcommitGuestOverhead: true
                """), true);
        // page tables of a 1Mi request: 1049kB * 1000 / 512 = 2048 bytes
        long overhead = 2048 + FIXED + 4 * 8 * MI;
        assertThat(amount(r.requests(), "cpu")).isEqualByComparingTo("0.001");
        assertThat(amount(r.requests(), "memory")).isEqualByComparingTo(bytes(MI));
        assertThat(amount(r.limits(), "cpu")).isEqualByComparingTo("4");
        assertThat(amount(r.limits(), "memory")).isEqualByComparingTo(bytes(4 * GI + overhead));
    }

    @Test
    void withoutRequestsOrLimitsTheGuestMemoryAndATenthOfEachVcpuAreRequested() {
        KubeVirtStandIn.LauncherResources r = KubeVirtStandIn.launcherResources(domain("""
                cpu: {cores: 2}
                memory: {guest: 2Gi}
                """), true);
        long pageTables = Math.ceilDiv(2 * GI, 1000) * 1000 / 512;
        assertThat(amount(r.requests(), "cpu")).isEqualByComparingTo("0.2");
        assertThat(amount(r.requests(), "memory")).isEqualByComparingTo(bytes(2 * GI + pageTables + FIXED + 2 * 8 * MI));
        assertThat(r.limits()).isEmpty();
    }

    @Test
    void aTpmAddsSwtpmAndNoGraphicsDeviceSavesTheVideoMemory() {
        Map<String, Object> withTpm = domain("""
                cpu: {cores: 1}
                devices: {tpm: {}}
                """);
        Map<String, Object> headless = domain("""
                cpu: {cores: 1}
                devices: {autoattachGraphicsDevice: false}
                """);
        long base = KubeVirtStandIn.memoryOverhead(domain("cpu: {cores: 1}"), 0, 1);
        assertThat(base).isEqualTo(FIXED + 8 * MI);
        assertThat(KubeVirtStandIn.memoryOverhead(withTpm, 0, 1)).isEqualTo(base + 53 * MI);
        assertThat(KubeVirtStandIn.memoryOverhead(headless, 0, 1)).isEqualTo(base - 16 * MI);
    }

    @Test
    void withoutKubeVirtsRenderingTheLauncherRequestsWhatTheVmSays() {
        KubeVirtStandIn.LauncherResources r = KubeVirtStandIn.launcherResources(domain("""
                cpu: {cores: 4}
                memory: {guest: 4Gi}
                resources:
                  requests: {memory: 1Gi}
                  limits: {cpu: "4", memory: 4Gi}
                """), false);
        assertThat(amount(r.requests(), "cpu")).isEqualByComparingTo("0");
        assertThat(amount(r.requests(), "memory")).isEqualByComparingTo(bytes(GI));
        assertThat(amount(r.limits(), "memory")).isEqualByComparingTo(bytes(4 * GI));
    }
}
