package io.respool.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.respool.api.ResourcePool;
import io.respool.api.VirtualMachine;
import io.respool.demo.FakeNode;
import io.respool.demo.KubeVirtStandIn;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * VMs on a node with the stand-in rendering the launcher pods' requests as KubeVirt does (its
 * defaults, and the launcher's memory overhead): a VM must not ask kube-scheduler for more than
 * respool reserved for it, or a VM that respool admitted and placed stays Pending there.
 *
 * <p>virt-1 has 4 cpus and 8Gi + 64Mi of memory. "reserved" reserves 1 cpu and all of its 8Gi;
 * "unreserved" (4 vCPUs, 4Gi) reserves nothing. respool admits both and places both on virt-1, the
 * only KubeVirt node. Both run only because the operator writes requests KubeVirt keeps:
 * <ul>
 *   <li>a zero reservation as the least request (1m cpu, 1Mi memory): KubeVirt turns a zero or
 *       absent request into the limit, and the unreserved VM would then book 4 cpus and 4Gi;</li>
 *   <li>{@code overcommitGuestOverhead: true}: KubeVirt would otherwise add the launcher's overhead
 *       (276Mi for each of these two) to the memory requests, and the reserved VM's 8Gi + 276Mi
 *       does not fit in what respool left on the node (64Mi). The overhead goes to the limits.</li>
 * </ul>
 */
class KubeVirtRequestsE2E extends E2ESupport {

    private static final long MI = 1L << 20;
    private static final long GI = 1L << 30;
    /**
     * KubeVirt's overhead estimate, as the stand-in renders it, for both VMs: page tables (16Mi for
     * an 8Gi request, 2048 bytes for 1Mi), 220Mi of processes, 8Mi per vCPU (2 and 4), 8Mi for the
     * IO thread, 16Mi of video memory.
     */
    private static final long RESERVED_OVERHEAD = 16 * MI + 220 * MI + 2 * 8 * MI + 8 * MI + 16 * MI;
    private static final long UNRESERVED_OVERHEAD = 2048 + 220 * MI + 4 * 8 * MI + 8 * MI + 16 * MI;

    @BeforeAll
    void setUp() {
        cluster.createNodes(List.of(FakeNode.of("virt-1", "4", "8256Mi", Map.of(FakeNode.KUBEVIRT_SCHEDULABLE, "true"))));
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("vms").endMetadata().build())
                .create();
        startOperatorInProcess();
        client.resource(Serialization.unmarshal("""
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: batch}
                spec: {cpu: {shares: low}}
                """, ResourcePool.class)).create();
        for (String vm : List.of("""
                apiVersion: respool.io/v1alpha1
                kind: VirtualMachine
                metadata: {name: unreserved, namespace: vms}
                spec: {pool: batch, cpu: {vcpus: 4}, memory: {size: 4Gi}, disks: [{name: root, image: fedora:41}]}
                """, """
                apiVersion: respool.io/v1alpha1
                kind: VirtualMachine
                metadata: {name: reserved, namespace: vms}
                spec:
                  cpu: {vcpus: 2, reservation: "1"}
                  memory: {size: 8Gi, reservation: 8Gi}
                  disks: [{name: root, image: fedora:41}]
                """)) {
            client.resource(Serialization.unmarshal(vm, VirtualMachine.class)).create();
        }
    }

    private VirtualMachine vm(String name) {
        return client.resources(VirtualMachine.class).inNamespace("vms").withName(name).get();
    }

    private Pod launcher(String name) {
        List<Pod> pods = podsOf(vm(name));
        assertThat(pods).as(name).hasSize(1);
        return pods.get(0);
    }

    private GenericKubernetesResource kubeVirtVm(String name) {
        return client.genericKubernetesResources(KubeVirtStandIn.VIRTUAL_MACHINES).inNamespace("vms").withName(name)
                .get();
    }

    private static void assertAmount(Map<String, Quantity> quantities, String name, BigDecimal expected) {
        assertThat(quantities.get(name)).as(name).isNotNull();
        assertThat(quantities.get(name).getNumericalAmount()).as(name).isEqualByComparingTo(expected);
    }

    private static BigDecimal bytes(long value) {
        return BigDecimal.valueOf(value);
    }

    @Test
    void bothVmsRunOnTheNodeRespoolChose() {
        eventually(CONVERGE, () -> {
            for (String name : List.of("reserved", "unreserved")) {
                VirtualMachine vm = vm(name);
                assertThat(vm.getStatus().getNode()).as(name).isEqualTo("virt-1");
                Pod pod = launcher(name);
                assertThat(pod.getSpec().getNodeName()).as(() -> describe(vm)).isEqualTo("virt-1");
                assertThat(runningAndReady(pod)).as(() -> describe(vm)).isTrue();
                assertThat(vm.getStatus().getPhase()).as(() -> describe(vm)).isEqualTo("Running");
            }
        });
    }

    @Test
    void theKubeVirtVmsCarryTheReservationsAsRequestsAndTheSizesAsLimits() {
        eventually(CONVERGE, () -> {
            assertThat(kubeVirtVm("unreserved")).isNotNull();
            assertThat(kubeVirtVm("reserved")).isNotNull();
        });
        Map<String, Object> unreserved = kubeVirtVm("unreserved").get("spec", "template", "spec", "domain", "resources");
        assertThat(unreserved).isEqualTo(Map.of(
                "requests", Map.of("cpu", "1m", "memory", "1Mi"),
                "limits", Map.of("cpu", "4", "memory", "4Gi"),
                "overcommitGuestOverhead", true));
        Map<String, Object> reserved = kubeVirtVm("reserved").get("spec", "template", "spec", "domain", "resources");
        assertThat(reserved).isEqualTo(Map.of(
                "requests", Map.of("cpu", "1", "memory", "8Gi"),
                "limits", Map.of("cpu", "2", "memory", "8Gi"),
                "overcommitGuestOverhead", true));
    }

    @Test
    void theLauncherPodsRequestWhatRespoolReservedAndTheOverheadIsInTheLimits() {
        eventually(CONVERGE, () -> {
            launcher("unreserved");
            launcher("reserved");
        });
        var unreserved = launcher("unreserved").getSpec().getContainers().get(0).getResources();
        assertAmount(unreserved.getRequests(), "cpu", new BigDecimal("0.001"));
        assertAmount(unreserved.getRequests(), "memory", bytes(MI));
        assertAmount(unreserved.getLimits(), "cpu", new BigDecimal("4"));
        assertAmount(unreserved.getLimits(), "memory", bytes(4 * GI + UNRESERVED_OVERHEAD));

        var reserved = launcher("reserved").getSpec().getContainers().get(0).getResources();
        assertAmount(reserved.getRequests(), "cpu", new BigDecimal("1"));
        assertAmount(reserved.getRequests(), "memory", bytes(8 * GI));
        assertAmount(reserved.getLimits(), "cpu", new BigDecimal("2"));
        assertAmount(reserved.getLimits(), "memory", bytes(8 * GI + RESERVED_OVERHEAD));
    }
}
