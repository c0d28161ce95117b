package io.respool.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.respool.api.Container;
import io.respool.api.ResourcePool;
import io.respool.engine.Dimension;
import io.respool.operator.cluster.ClusterSnapshot;
import io.respool.operator.cluster.WorkloadRef;
import io.respool.engine.WorkloadKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One engine run from a snapshot: sticky admissions, reported demand, refusals the operator adds. */
class PlanBuilderTest {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final PlanBuilder builder = new PlanBuilder(new AdmissionLedger());
    private long sequence;

    private static Node node(String name, String cpu) {
        return JSON.unmarshal("""
                apiVersion: v1
                kind: Node
                metadata: {name: %s, uid: node-%s}
                status:
                  allocatable: {cpu: "%s", memory: 64Gi}
                  conditions: [{type: Ready, status: "True"}]
                """.formatted(name, name, cpu), Node.class);
    }

    private static ResourcePool pool(String name, String cpuReservation, boolean deleting) {
        return JSON.unmarshal("""
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: %s, uid: pool-%s, generation: 1, creationTimestamp: "2026-01-01T00:00:00Z"%s}
                spec:
                  cpu: {reservation: "%s", expandableReservation: false}
                """.formatted(name, name, deleting ? ", deletionTimestamp: \"2026-01-01T00:10:00Z\"" : "",
                cpuReservation), ResourcePool.class);
    }

    private static Container container(String name, String uid, String cpu, String created, String status) {
        return JSON.unmarshal("""
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata: {name: %s, namespace: ns, uid: %s, generation: 1, creationTimestamp: "%s"}
                spec:
                  pool: p
                  image: busybox
                  cpu: {reservation: "%s", limit: "%s"}
                %s""".formatted(name, uid, created, cpu, cpu, status), Container.class);
    }

    private PlanResult plan(List<ResourcePool> pools, List<Container> containers, Map<String, Map<Dimension, Long>> demand) {
        Namespace ns = JSON.unmarshal("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"ns\"}}",
                Namespace.class);
        return builder.build(new ClusterSnapshot(pools, List.of(), containers, List.of(node("n1", "8")), List.of(ns),
                Map.of(), Map.of(), demand, Map.of(), false), ++sequence, new ArrayList<>());
    }

    private static PlanResult.WorkloadView view(PlanResult plan, String name) {
        return plan.workload(new WorkloadRef(WorkloadKind.CONTAINER, "ns", name));
    }

    @Test
    void aWorkloadCreatedInTheSameSecondAsItsPoolComesAfterItWhateverTheNames() {
        // As after a restart: both listed at start-up, so they tie on creation time and arrival;
        // "a" sorts before "p" by name, but the pool's reservation must be granted first, or the
        // fixed pool has nothing for "a" on this and every later run.
        Container a = container("a", "uid-a", "1", "2026-01-01T00:00:00Z", "");
        PlanResult plan = plan(List.of(pool("p", "2", false)), List.of(a), Map.of());
        assertThat(view(plan, "a").status().admitted()).isTrue();
        assertThat(view(plan, "a").status().node()).isEqualTo("n1");
    }

    @Test
    void admissionsAreStickyWhenThePoolShrinksAndNewcomersAreRefused() {
        Container a = container("a", "uid-a", "2", "2026-01-01T00:01:00Z", "");
        PlanResult first = plan(List.of(pool("p", "2", false)), List.of(a), Map.of());
        assertThat(view(first, "a").status().admitted()).isTrue();
        assertThat(view(first, "a").status().node()).isEqualTo("n1");

        Container b = container("b", "uid-b", "1", "2026-01-01T00:02:00Z", "");
        PlanResult second = plan(List.of(pool("p", "1", false)), List.of(a, b), Map.of());
        assertThat(view(second, "a").status().admitted()).isTrue();
        assertThat(view(second, "b").status().admitted()).isFalse();
        assertThat(view(second, "b").status().reason()).isEqualTo("InsufficientReservation");
    }

    @Test
    void aWorkloadSeenFirstTakesItsAdmissionFromStatusAndARecreatedOneStartsOver() {
        String admitted = """
                status:
                  node: n1
                  conditions: [{type: Admitted, status: "True", reason: Admitted, message: x,
                                lastTransitionTime: "2026-01-01T00:00:00Z"}]
                """;
        // The pool has room for nothing, but status says the workload was admitted before a restart.
        Container a = container("a", "uid-a", "2", "2026-01-01T00:01:00Z", admitted);
        PlanResult first = plan(List.of(pool("p", "0", false)), List.of(a), Map.of());
        assertThat(view(first, "a").status().admitted()).isTrue();
        assertThat(view(first, "a").status().node()).isEqualTo("n1");

        // Same name, new object (new UID, no status): a fresh admission, which does not fit.
        Container again = container("a", "uid-a2", "2", "2026-01-01T00:05:00Z", "");
        PlanResult second = plan(List.of(pool("p", "0", false)), List.of(again), Map.of());
        assertThat(view(second, "a").status().admitted()).isFalse();
    }

    @Test
    void reportedDemandReplacesTheSize() {
        Container a = container("a", "uid-a", "2", "2026-01-01T00:01:00Z", "");
        PlanResult plan = plan(List.of(pool("p", "2", false)), List.of(a),
                Map.of("Container/ns/a", Map.of(Dimension.CPU, 300L)));
        assertThat(view(plan, "a").status().dimension(Dimension.CPU).demand()).isEqualTo(300);
        assertThat(plan.node("n1").workloads().get(0).targets().get(Dimension.CPU).floor()).isEqualTo(2000);
    }

    @Test
    void aPoolBeingDeletedAdmitsNoNewcomerAndListsWhatItHolds() {
        Container a = container("a", "uid-a", "1", "2026-01-01T00:01:00Z", "");
        plan(List.of(pool("p", "4", false)), List.of(a), Map.of());
        Container b = container("b", "uid-b", "1", "2026-01-01T00:02:00Z", "");
        PlanResult plan = plan(List.of(pool("p", "4", true)), List.of(a, b), Map.of());
        assertThat(view(plan, "a").status().admitted()).isTrue();
        assertThat(view(plan, "b").status()).isNull();
        assertThat(view(plan, "b").refusal().reason()).isEqualTo("PoolTerminating");
        assertThat(plan.pool("p").deleting()).isTrue();
        assertThat(plan.pool("p").workloads()).containsExactly("Container \"ns/a\"", "Container \"ns/b\"");
    }

    @Test
    void anUnreadableSpecIsRefusedWithTheFieldAndTheValue() {
        Container bad = container("bad", "uid-bad", "lots", "2026-01-01T00:01:00Z", "");
        PlanResult plan = plan(List.of(pool("p", "4", false)), List.of(bad), Map.of());
        assertThat(view(plan, "bad").refusal().reason()).isEqualTo("InvalidSpec");
        assertThat(view(plan, "bad").refusal().message()).contains("spec.cpu.reservation").contains("lots");
    }
}
