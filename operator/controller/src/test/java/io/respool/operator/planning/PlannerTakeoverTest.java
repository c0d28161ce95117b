package io.respool.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.respool.api.Container;
import io.respool.api.ResourcePool;
import io.respool.engine.WorkloadKind;
import io.respool.operator.cluster.ClusterSnapshot;
import io.respool.operator.cluster.WorkloadRef;
import io.respool.operator.metrics.PlannerMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A standby's decisions are its own until it takes over: then it plans from the admissions and
 * nodes in status, as the previous leader recorded them.
 */
class PlannerTakeoverTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final Namespace NS = JSON.unmarshal(
            "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"ns\"}}", Namespace.class);
    private static final ResourcePool POOL = JSON.unmarshal("""
            apiVersion: respool.io/v1alpha1
            kind: ResourcePool
            metadata: {name: p, uid: pool-p, generation: 1, creationTimestamp: "2026-01-01T00:00:00Z"}
            spec:
              cpu: {reservation: "4", expandableReservation: false}
            """, ResourcePool.class);

    private static Node node(String name) {
        return JSON.unmarshal("""
                apiVersion: v1
                kind: Node
                metadata: {name: %s, uid: node-%s}
                status:
                  allocatable: {cpu: "8", memory: 64Gi}
                  conditions: [{type: Ready, status: "True"}]
                """.formatted(name, name), Node.class);
    }

    /** @param node the node its status records it admitted on, or null for no status */
    private static Container container(String name, String node) {
        String status = node == null ? "" : """
                status:
                  node: %s
                  conditions: [{type: Admitted, status: "True", reason: Admitted, message: x,
                                lastTransitionTime: "2026-01-01T00:02:00Z"}]
                """.formatted(node);
        return JSON.unmarshal("""
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata:
                  {name: %s, namespace: ns, uid: uid-%s, generation: 1, creationTimestamp: "2026-01-01T00:01:00Z"}
                spec:
                  pool: p
                  image: busybox
                  cpu: {reservation: "1", limit: "1"}
                %s""".formatted(name, name, status), Container.class);
    }

    private static ClusterSnapshot snapshot(List<Node> nodes, List<Container> containers) {
        return new ClusterSnapshot(List.of(POOL), List.of(), containers, nodes, List.of(NS), Map.of(), Map.of(),
                Map.of(), Map.of(), false);
    }

    private static String node(Planner planner, String name) {
        var view = planner.latest().workload(new WorkloadRef(WorkloadKind.CONTAINER, "ns", name));
        return view.status().admitted() ? view.status().node() : null;
    }

    private static Planner planner(Supplier<ClusterSnapshot> snapshots) {
        return new Planner(snapshots, new PlannerMetrics(new SimpleMeterRegistry()), Duration.ofMillis(10),
                Duration.ofMillis(20), Duration.ofMillis(50));
    }

    @Test
    void aNewLeaderForgetsItsStandbyPlacementsAndKeepsThoseInStatus() {
        // As a standby: the Containers without status, one node: both placed there by this replica.
        AtomicReference<ClusterSnapshot> cluster = new AtomicReference<>(
                snapshot(List.of(node("n1")), List.of(container("a", null), container("b", null))));
        try (Planner planner = planner(cluster::get)) {
            List<Boolean> fresh = new CopyOnWriteArrayList<>();
            planner.addListener((previous, next) -> fresh.add(previous == null));
            planner.start();
            assertThat(node(planner, "a")).isEqualTo("n1");
            assertThat(node(planner, "b")).isEqualTo("n1");

            // The leader, which saw a second node, recorded b on n2. Status is not planner input: the
            // standby keeps its own decisions (it writes none of them).
            cluster.set(snapshot(List.of(node("n1"), node("n2")), List.of(container("a", "n1"), container("b", "n2"))));
            planner.markDirty();
            await().atMost(Duration.ofSeconds(2)).until(() -> planner.latest().sequence() == 2);
            assertThat(node(planner, "b")).isEqualTo("n1");

            // Taking over: the plan follows the statuses, and the listeners take it as a first plan.
            planner.replanFromStatuses();
            assertThat(node(planner, "a")).isEqualTo("n1");
            assertThat(node(planner, "b")).isEqualTo("n2");
            assertThat(fresh).containsExactly(true, false, true);

            // From then on the leader's own decisions are sticky again.
            cluster.set(snapshot(List.of(node("n1"), node("n2")), List.of(container("a", "n1"), container("b", null))));
            planner.markDirty();
            await().atMost(Duration.ofSeconds(2)).until(() -> planner.latest().sequence() == 4);
            assertThat(node(planner, "b")).isEqualTo("n2");
        }
    }

    @Test
    void aFailedTakeoverRunLeavesNoPlanToActOn() {
        AtomicReference<ClusterSnapshot> cluster = new AtomicReference<>(
                snapshot(List.of(node("n1")), List.of(container("a", null))));
        try (Planner planner = planner(() -> {
            ClusterSnapshot s = cluster.get();
            if (s == null) {
                throw new IllegalStateException("no snapshot (test)");
            }
            return s;
        })) {
            planner.start();
            assertThat(planner.latest()).isNotNull();
            cluster.set(null);
            planner.replanFromStatuses();
            assertThat(planner.latest()).isNull();
            assertThat(planner.healthy()).isFalse();
        }
    }
}
