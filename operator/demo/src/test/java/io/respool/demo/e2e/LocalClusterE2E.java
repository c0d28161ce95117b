package io.respool.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.respool.demo.ChildProcess;
import io.respool.demo.FakeNode;
import io.respool.demo.KubeVirtStandIn;
import io.respool.demo.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fixture itself: real processes, KWOK nodes, a pod bound and Running, the stand-ins, a clean stop. */
class LocalClusterE2E {

    @Test
    void simulatedNodesRunPodsAndVirtualMachinesAndNothingIsLeftBehind() {
        LocalCluster cluster = LocalCluster.start(LocalCluster.Options.defaults().withControllerManager(true));
        List<ChildProcess> processes = cluster.processes();
        Path dir = cluster.directory();
        try (cluster) {
            var client = cluster.client();
            cluster.createNodes(List.of(
                    new FakeNode("plain-1", Map.of(), Map.of("cpu", new Quantity("8"), "memory", new Quantity("32Gi"),
                            "respool.io/disk-iops", new Quantity("4000"))),
                    FakeNode.of("virt-1", "16", "64Gi", Map.of(FakeNode.KUBEVIRT_SCHEDULABLE, "true"))));

            Node plain = client.nodes().withName("plain-1").get();
            assertThat(plain.getStatus().getAllocatable()).containsEntry("cpu", new Quantity("8"))
                    .containsEntry("memory", new Quantity("32Gi"));
            assertThat(plain.getStatus().getAllocatable().get("respool.io/disk-iops").getNumericalAmount())
                    .isEqualByComparingTo("4000");
            assertThat(plain.getSpec().getTaints()).isNullOrEmpty();
            assertThat(plain.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", "plain-1");

            // A pod the real scheduler binds (it fits only on plain-1) and KWOK runs.
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("web").endMetadata()
                    .withNewSpec().withNodeSelector(Map.of("kubernetes.io/hostname", "plain-1")).addNewContainer()
                    .withName("web").withImage("nginx:1.27").withNewResources()
                    .withRequests(Map.of("cpu", new Quantity("500m"))).endResources().endContainer().endSpec().build())
                    .create();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Pod pod = client.pods().inNamespace("default").withName("web").get();
                assertThat(pod.getSpec().getNodeName()).isEqualTo("plain-1");
                assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
            });

            // A KubeVirt VM: the stand-in runs a launcher pod, which only fits a KubeVirt node.
            client.genericKubernetesResources(KubeVirtStandIn.VIRTUAL_MACHINES).inNamespace("default")
                    .resource(vm("vm-1")).create();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                GenericKubernetesResource vm = client.genericKubernetesResources(KubeVirtStandIn.VIRTUAL_MACHINES)
                        .inNamespace("default").withName("vm-1").get();
                Map<String, Object> status = vm.get("status");
                assertThat(status).containsEntry("printableStatus", "Running").containsEntry("ready", true);
                List<Pod> launchers = client.pods().inNamespace("default")
                        .withLabel(KubeVirtStandIn.VM_NAME_LABEL, "vm-1").list().getItems();
                assertThat(launchers).hasSize(1);
                assertThat(launchers.get(0).getSpec().getNodeName()).isEqualTo("virt-1");
                assertThat(launchers.get(0).getMetadata().getLabels()).containsEntry("respool.io/virtualmachine", "vm-1");
            });

        }
        assertThat(processes).allSatisfy(p -> assertThat(p.alive()).as(p.name()).isFalse());
        assertThat(Files.exists(dir)).isFalse();
    }

    private static GenericKubernetesResource vm(String name) {
        return io.fabric8.kubernetes.client.utils.Serialization.unmarshal("""
                apiVersion: kubevirt.io/v1
                kind: VirtualMachine
                metadata: {name: %s, labels: {respool.io/virtualmachine: %s}}
                spec:
                  runStrategy: Always
                  template:
                    metadata: {labels: {respool.io/virtualmachine: %s}}
                    spec:
                      domain:
                        cpu: {cores: 2}
                        memory: {guest: 4Gi}
                        resources: {requests: {cpu: "1", memory: 4Gi}, limits: {cpu: "2", memory: 4Gi}}
                """.formatted(name, name, name), GenericKubernetesResource.class);
    }
}
