package io.respool.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.respool.api.Container;
import io.respool.api.NodeResourcePlan;
import io.respool.api.ResourcePool;
import io.respool.api.VirtualMachine;
import io.respool.api.WorkloadStatusFields;
import io.respool.api.translate.ClusterObjects;
import io.respool.api.translate.ClusterTranslator;
import io.respool.demo.FakeNode;
import io.respool.demo.LocalCluster;
import io.respool.engine.Dimension;
import io.respool.engine.Engine;
import io.respool.engine.Plan;
import io.respool.engine.PoolStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A node disappears. Three 8-cpu nodes; pool "prod" reserves 12 cpus, pool "dev" 6 (and borrows
 * 2.5 more); eight workloads reserve 17 cpus. Names sort in creation order, so the engine's order
 * is the order below whatever the timestamps. Placement (lowest load after placing, ties by name):
 *
 * <pre>
 *   n1: w1-db (VM, 4)   w7-dev (2.5)                  6.5 of 8
 *   n2: w2-web (1.5) w4-web (1.5) w6-dev (2.5)        5.5 of 8
 *   n3: w3-web (1.5) w5-dev (2.5) w8-vm (VM, 1)       5   of 8
 * </pre>
 *
 * n3 is deleted: capacity falls from 24 to 16 cpus, below the 20.5 the pools reserve (prod 12,
 * dev 8.5), so both pools are Overcommitted in cpu (memory stays Valid). n3's workloads are
 * placed again in that order where their reservation fits: w3-web on n2 (7 of 8), w5-dev nowhere
 * (1 cpu left on n1 and n2: it stays admitted but unplaced and says why), w8-vm on n1 (7.5 of 8).
 * kube-controller-manager's pod garbage collector removes the pods of the vanished node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeLossE2E extends E2ESupport {

    @Override
    protected LocalCluster.Options localOptions() {
        return super.localOptions().withControllerManager(true);
    }

    @BeforeAll
    void setUp() {
        List<FakeNode> nodes = new ArrayList<>();
        for (String n : List.of("n1", "n2", "n3")) {
            nodes.add(FakeNode.of(n, "8", "32Gi", Map.of(FakeNode.KUBEVIRT_SCHEDULABLE, "true")));
        }
        cluster.createNodes(nodes);
        for (String ns : List.of("prod", "dev")) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .create();
        }
        startOperatorInProcess();
        for (String pool : List.of("""
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: prod}
                spec: {cpu: {reservation: "12"}}
                """, """
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: dev}
                spec: {cpu: {reservation: "6"}}
                """)) {
            client.resource(Serialization.unmarshal(pool, ResourcePool.class)).create();
        }
        List<HasMetadata> workloads = new ArrayList<>();
        workloads.add(vm("prod", "w1-db", 4, "8Gi"));
        for (String name : List.of("w2-web", "w3-web", "w4-web")) {
            workloads.add(container("prod", name, "1500m"));
        }
        for (String name : List.of("w5-dev", "w6-dev", "w7-dev")) {
            workloads.add(container("dev", name, "2500m"));
        }
        workloads.add(vm("dev", "w8-vm", 1, "1Gi"));
        workloads.forEach(w -> client.resource(w).create());
        eventually(CONVERGE, () -> assertThat(notRunning()).isEmpty());
    }

    private static VirtualMachine vm(String ns, String name, int cpus, String memory) {
        return Serialization.unmarshal("""
                apiVersion: respool.io/v1alpha1
                kind: VirtualMachine
                metadata: {name: %s, namespace: %s}
                spec:
                  pool: %s
                  cpu: {vcpus: %d, reservation: "%d"}
                  memory: {size: %s, reservation: %s}
                  disks: [{name: root, image: fedora:41}]
                """.formatted(name, ns, ns, cpus, cpus, memory, memory), VirtualMachine.class);
    }

    private static Container container(String ns, String name, String cpu) {
        return Serialization.unmarshal("""
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata: {name: %s, namespace: %s}
                spec:
                  pool: %s
                  image: app:1
                  cpu: {reservation: %s, limit: "3"}
                  memory: {reservation: 1Gi, limit: 1Gi}
                """.formatted(name, ns, ns, cpu), Container.class);
    }

    private HasMetadata workload(String name) {
        List<HasMetadata> all = new ArrayList<>(virtualMachines());
        all.addAll(containers());
        return all.stream().filter(w -> w.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    private String nodeOf(String name) {
        return status(workload(name)).getNode();
    }

    @Test
    @Order(1)
    void placedByLowestLoadAndAllValid() {
        assertThat(List.of(nodeOf("w1-db"), nodeOf("w2-web"), nodeOf("w3-web"), nodeOf("w4-web"), nodeOf("w5-dev"),
                nodeOf("w6-dev"), nodeOf("w7-dev"), nodeOf("w8-vm")))
                .containsExactly("n1", "n2", "n3", "n2", "n3", "n2", "n1", "n3");
        assertThat(pool("prod").getStatus().getHealth()).isEqualTo("Valid");
        assertThat(pool("dev").getStatus().getHealth()).isEqualTo("Valid");
        assertThat(pool("dev").getStatus().getResources().get("cpu").getUsed()).isEqualTo(new Quantity("8500m"));
    }

    @Test
    @Order(2)
    void aNodeDisappears() {
        cluster.deleteNode("n3");
        eventually(Duration.ofSeconds(150), () -> {
            assertThat(nodeOf("w3-web")).as(() -> describe(workload("w3-web"))).isEqualTo("n2");
            assertThat(nodeOf("w8-vm")).as(() -> describe(workload("w8-vm"))).isEqualTo("n1");
            for (String name : List.of("w3-web", "w8-vm")) {
                List<Pod> pods = podsOf(workload(name));
                assertThat(pods).as(name).hasSize(1);
                assertThat(pods.get(0).getSpec().getNodeName()).as(name).isEqualTo(nodeOf(name));
                assertThat(runningAndReady(pods.get(0))).as(name).isTrue();
            }
            // The pod garbage collector removed the pods of n3.
            assertThat(client.pods().inAnyNamespace().list().getItems())
                    .noneMatch(p -> "n3".equals(p.getSpec().getNodeName()));
            assertThat(plans()).doesNotContainKey("n3");
        });

        // Where reservations no longer fit: Overcommitted, in cpu only.
        for (String name : List.of("prod", "dev")) {
            var s = pool(name).getStatus();
            assertThat(s.getHealth()).as(name).isEqualTo("Overcommitted");
            assertThat(s.getResources().get("cpu").getHealth()).as(name).isEqualTo("Overcommitted");
            assertThat(s.getResources().get("memory").getHealth()).as(name).isEqualTo("Valid");
            assertThat(condition(s.getConditions(), "Ready").getMessage()).as(name)
                    .contains("cpu: capacity 16 is below what is reserved");
        }
        // Kept its admission and reservation, but no node can hold it: it says why.
        WorkloadStatusFields lost = status(workload("w5-dev"));
        assertThat(lost.getNode()).isNull();
        assertThat(condition(lost.getConditions(), "Admitted").getStatus()).isEqualTo("True");
        var placed = condition(lost.getConditions(), "Placed");
        assertThat(placed.getStatus()).isEqualTo("False");
        assertThat(placed.getReason()).isEqualTo("NoNodeFits");
        assertThat(placed.getMessage()).startsWith("Container \"dev/w5-dev\" stays admitted in pool \"dev\" but is not"
                + " placed:");
        assertThat(podsOf(workload("w5-dev"))).isEmpty();
        assertThat(pool("dev").getStatus().getResources().get("cpu").getUsed()).isEqualTo(new Quantity("8500m"));
        // The others stayed where they were.
        assertThat(List.of(nodeOf("w1-db"), nodeOf("w2-web"), nodeOf("w4-web"), nodeOf("w6-dev"), nodeOf("w7-dev")))
                .containsExactly("n1", "n2", "n2", "n2", "n1");
        // The survivors' plans carry the new arrivals with their new pods' UIDs.
        NodeResourcePlan n2 = plans().get("n2");
        assertThat(n2.getSpec().getWorkloads()).extracting(w -> w.getName())
                .containsExactlyInAnyOrder("w2-web", "w3-web", "w4-web", "w6-dev");
        assertThat(n2.getSpec().getWorkloads()).filteredOn(w -> w.getName().equals("w3-web")).singleElement()
                .satisfies(w -> assertThat(w.getPodUID())
                        .isEqualTo(podsOf(workload("w3-web")).get(0).getMetadata().getUid()));
        assertThat(plans().get("n1").getSpec().getWorkloads()).extracting(w -> w.getName())
                .containsExactlyInAnyOrder("w1-db", "w7-dev", "w8-vm");
    }

    @Test
    @Order(3)
    void poolFiguresAreWhatTheEngineComputesForTheClusterAsItIsNow() {
        List<HasMetadata> resources = new ArrayList<>(pools());
        resources.addAll(virtualMachines());
        resources.addAll(containers());
        resources.sort(ClusterObjects.CREATION_ORDER);
        Plan plan = Engine.compute(ClusterTranslator.translate(ClusterObjects.of(resources, client.nodes().list()
                .getItems(), client.namespaces().list().getItems())).spec());
        for (PoolStatus p : plan.pools()) {
            ResourcePool pool = pool(p.name());
            if (pool == null) {
                continue; // the root
            }
            assertThat(pool.getStatus().getHealth()).as(p.name()).isEqualTo(p.health().display());
            for (Dimension d : List.of(Dimension.CPU, Dimension.MEMORY)) {
                var have = pool.getStatus().getResources().get(d.jsonName());
                assertThat(ExamplesE2E.base(d, have.getUsed())).as(p.name() + " used " + d)
                        .isEqualTo(p.dimension(d).used());
                assertThat(ExamplesE2E.base(d, have.getAvailable())).as(p.name() + " available " + d)
                        .isEqualTo(p.dimension(d).available());
                assertThat(ExamplesE2E.base(d, have.getEntitlement())).as(p.name() + " entitlement " + d)
                        .isEqualTo(p.dimension(d).entitlement());
            }
        }
    }
}
