package io.respool.operator.owned;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.respool.api.VirtualMachine;
import io.respool.engine.Dimension;
import io.respool.engine.Quantities;
import io.respool.engine.WorkloadDimensionStatus;
import io.respool.engine.WorkloadKind;
import io.respool.engine.WorkloadStatus;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The requests and limits of the KubeVirt VM, as KubeVirt keeps them (see the class comment). */
@SuppressWarnings("unchecked")
class KubeVirtVirtualMachineTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final long GI = 1L << 30;
    private static final long MI = 1L << 20;

    private static VirtualMachine vm(int vcpus, String size) {
        return JSON.unmarshal("""
                apiVersion: respool.io/v1alpha1
                kind: VirtualMachine
                metadata: {name: vm, namespace: vms, uid: vm-uid}
                spec:
                  cpu: {vcpus: %d}
                  memory: {size: %s}
                  disks: [{name: root, image: fedora:41}]
                """.formatted(vcpus, size), VirtualMachine.class);
    }

    /** An admitted VM on kv-1: cpu in millicores and memory in bytes, reservation and effective limit. */
    private static WorkloadStatus plan(long cpuReservation, long cpuLimit, long memoryReservation, long memoryLimit) {
        Map<Dimension, WorkloadDimensionStatus> dims = new EnumMap<>(Dimension.class);
        dims.put(Dimension.CPU, figures(cpuReservation, cpuLimit));
        dims.put(Dimension.MEMORY, figures(memoryReservation, memoryLimit));
        return new WorkloadStatus(WorkloadKind.VIRTUAL_MACHINE, "vms", "vm", "batch", true, "Admitted", null, "kv-1",
                dims);
    }

    private static WorkloadDimensionStatus figures(long reservation, long effectiveLimit) {
        return new WorkloadDimensionStatus(reservation, effectiveLimit, effectiveLimit, 1000, effectiveLimit,
                effectiveLimit, effectiveLimit, effectiveLimit);
    }

    private static Map<String, Object> resources(GenericKubernetesResource kubeVirtVm) {
        return kubeVirtVm.get("spec", "template", "spec", "domain", "resources");
    }

    @Test
    void aZeroReservationIsTheLeastRequestKubeVirtKeepsNotZero() {
        Map<String, Object> resources = resources(KubeVirtVirtualMachine.desired(vm(4, "4Gi"),
                plan(0, 4000, 0, 4 * GI), "kv-1"));
        assertThat((Map<String, Object>) resources.get("requests"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("cpu", "1m", "memory", "1Mi"));
        assertThat((Map<String, Object>) resources.get("limits")).containsEntry("cpu", "4").containsEntry("memory", "4Gi")
                .hasSize(2);
        assertThat(resources).containsEntry("overcommitGuestOverhead", true);
    }

    @Test
    void aReservationIsTheRequestAndTheEffectiveLimitTheLimit() {
        Map<String, Object> resources = resources(KubeVirtVirtualMachine.desired(vm(4, "8Gi"),
                plan(1500, 3000, 6 * GI, 8 * GI), "kv-1"));
        assertThat((Map<String, Object>) resources.get("requests")).containsEntry("cpu", "1500m")
                .containsEntry("memory", "6Gi");
        assertThat((Map<String, Object>) resources.get("limits")).containsEntry("cpu", "3").containsEntry("memory", "8Gi");
        assertThat(resources).containsEntry("overcommitGuestOverhead", true);
    }

    @Test
    void aMemoryReservationBelowKubeVirtsMinimumIsRoundedUpTo1Mi() {
        Map<String, Object> resources = resources(KubeVirtVirtualMachine.desired(vm(1, "1Gi"),
                plan(1, 1000, 512 * 1024, GI), "kv-1"));
        assertThat((Map<String, Object>) resources.get("requests")).containsEntry("cpu", "1m")
                .containsEntry("memory", "1Mi");
    }

    @Test
    void aMemoryLimitBelowTheGuestMemoryIsLeftOutForKubeVirtRefusesIt() {
        // A pool limit of 2Gi narrows a 4Gi VM: the agent caps the pod's cgroup, KubeVirt gets no limit.
        GenericKubernetesResource kubeVirtVm = KubeVirtVirtualMachine.desired(vm(2, "4Gi"),
                plan(500, 2000, GI, 2 * GI), "kv-1");
        Map<String, Object> resources = resources(kubeVirtVm);
        assertThat((Map<String, Object>) resources.get("requests")).containsEntry("cpu", "500m")
                .containsEntry("memory", "1Gi");
        assertThat((Map<String, Object>) resources.get("limits")).containsOnlyKeys("cpu").containsEntry("cpu", "2");
        assertThat((String) kubeVirtVm.get("spec", "template", "spec", "domain", "memory", "guest")).isEqualTo("4Gi");
    }

    @Test
    void theCpuTopologyIsTheVcpusWhateverTheLimits() {
        GenericKubernetesResource kubeVirtVm = KubeVirtVirtualMachine.desired(vm(4, "4Gi"),
                plan(0, 2000, 0, 4 * GI), "kv-1");
        assertThat((Map<String, Object>) kubeVirtVm.get("spec", "template", "spec", "domain", "cpu"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("cores", 4, "sockets", 1, "threads", 1));
    }

    @Test
    void theLeastRequestNeverExceedsTheEffectiveLimit() {
        assertThat(KubeVirtVirtualMachine.request(Dimension.CPU, figures(0, 0))).isZero();
        assertThat(KubeVirtVirtualMachine.request(Dimension.CPU, figures(0, Quantities.UNLIMITED))).isEqualTo(1);
        assertThat(KubeVirtVirtualMachine.request(Dimension.MEMORY, figures(0, Quantities.UNLIMITED))).isEqualTo(MI);
        assertThat(KubeVirtVirtualMachine.request(Dimension.MEMORY, figures(3 * MI, 4 * MI))).isEqualTo(3 * MI);
    }

    @Test
    void theLaunchersMemoryOverheadIsKubeVirtsEstimate() {
        // 2 vCPUs, 4Gi: page tables ⌈4Gi / 1000⌉ × 1000 / 512 = 8Mi + 1 byte, 220Mi for virt-launcher,
        // its monitor, virtlogd, virtqemud and qemu, 2 × 8Mi per vCPU, 8Mi IO thread, 16Mi video.
        long overhead = KubeVirtVirtualMachine.launcherMemoryOverhead(vm(2, "4Gi"), plan(1000, 2000, GI, 4 * GI));
        assertThat(overhead).isEqualTo(281_018_369L).isEqualTo(8 * MI + 1 + 220 * MI + 16 * MI + 8 * MI + 16 * MI);
        // The page tables follow the guest memory, not the reservation written as the request.
        assertThat(KubeVirtVirtualMachine.launcherMemoryOverhead(vm(2, "4Gi"), plan(0, 2000, 0, 4 * GI)))
                .isEqualTo(overhead);
        // 8Gi and 4 vCPUs: 16Mi of page tables, 32Mi for the vCPUs.
        assertThat(KubeVirtVirtualMachine.launcherMemoryOverhead(vm(4, "8Gi"), plan(2000, 4000, 4 * GI, 8 * GI)))
                .isEqualTo(292 * MI);
    }

    @Test
    void aWindowsTpmAndKubeVirtsGuaranteedQosAddTheirShare() {
        long linux = KubeVirtVirtualMachine.launcherMemoryOverhead(vm(2, "4Gi"), plan(1000, 2000, GI, 4 * GI));
        VirtualMachine windows = JSON.unmarshal("""
                apiVersion: respool.io/v1alpha1
                kind: VirtualMachine
                metadata: {name: win, namespace: vms, uid: win-uid}
                spec:
                  os: windows
                  cpu: {vcpus: 2}
                  memory: {size: 4Gi}
                  disks: [{name: c, persistentVolumeClaim: win-c}]
                """, VirtualMachine.class);
        // swtpm: 53Mi
        assertThat(KubeVirtVirtualMachine.launcherMemoryOverhead(windows, plan(1000, 2000, GI, 4 * GI)))
                .isEqualTo(linux + 53 * MI);
        // Reservations = limits for cpu and memory: KubeVirt sees a Guaranteed VM and adds 100Mi.
        assertThat(KubeVirtVirtualMachine.launcherMemoryOverhead(vm(2, "4Gi"), plan(2000, 2000, 4 * GI, 4 * GI)))
                .isEqualTo(linux + 100 * MI);
        // ... but not when the memory limit is left out (below the guest memory) or cpu has none.
        assertThat(KubeVirtVirtualMachine.launcherMemoryOverhead(vm(2, "4Gi"), plan(2000, 2000, 2 * GI, 2 * GI)))
                .isEqualTo(linux);
        assertThat(KubeVirtVirtualMachine.launcherMemoryOverhead(vm(2, "4Gi"),
                plan(2000, Quantities.UNLIMITED, 4 * GI, 4 * GI))).isEqualTo(linux);
    }
}
