package io.respool.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.respool.api.ResourcePool;
import io.respool.api.VirtualMachine;
import io.respool.demo.FakeNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * VMs on a node with the stand-in applying KubeVirt's real defaulting of requests: a VM whose
 * reservation is below its size must not ask kube-scheduler for more than respool reserved, or a
 * VM with a reservation can be kept off the node respool chose for it.
 *
 * <p>Fails today: the operator leaves a zero request out of the KubeVirt VM
 * (KubeVirtVirtualMachine.desired, "when above 0"), and KubeVirt then sets requests = limits
 * (vCPUs, memory size). On a 4-cpu node holding a VM that reserves 1 cpu and one that reserves
 * none, the unreserved VM books all 4 cpus and the reserved one stays Pending
 * ("Insufficient cpu"), although respool admitted both. Enable once the operator writes requests
 * KubeVirt keeps (non-zero, e.g. 1m cpu / 1Mi memory for a zero reservation, limits only where the
 * pools narrow them) and the engine accounts for KubeVirt's per-VM memory overhead.
 */
@Disabled("known operator issue: KubeVirt defaults a VM's zero requests to its limits; see the class comment")
class KubeVirtRequestsE2E extends E2ESupport {

    @BeforeAll
    void setUp() {
        cluster.createNodes(List.of(FakeNode.of("virt-1", "4", "16Gi", Map.of(FakeNode.KUBEVIRT_SCHEDULABLE, "true"))));
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                .withName("vms").endMetadata().build()).create();
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
                  memory: {size: 4Gi, reservation: 4Gi}
                  disks: [{name: root, image: fedora:41}]
                """)) {
            client.resource(Serialization.unmarshal(vm, VirtualMachine.class)).create();
        }
    }

    @Test
    void launcherPodsRequestWhatRespoolReservedAndBothRun() {
        eventually(CONVERGE, () -> {
            for (VirtualMachine vm : virtualMachines()) {
                List<Pod> pods = podsOf(vm);
                assertThat(pods).as(vm.getMetadata().getName()).hasSize(1);
                assertThat(runningAndReady(pods.get(0))).as(vm.getMetadata().getName()).isTrue();
            }
        });
        Pod unreserved = podsOf(client.resources(VirtualMachine.class).inNamespace("vms").withName("unreserved").get())
                .get(0);
        Quantity cpu = unreserved.getSpec().getContainers().get(0).getResources().getRequests().get("cpu");
        assertThat(cpu.getNumericalAmount()).isLessThan(new java.math.BigDecimal("0.01"));
    }
}
