package io.respool.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.respool.api.NodeResourcePlan;
import io.respool.api.PlannedWorkload;
import io.respool.api.PoolResourceStatus;
import io.respool.api.ResourcePool;
import io.respool.api.VirtualMachine;
import io.respool.api.WorkloadResourceStatus;
import io.respool.api.WorkloadStatusFields;
import io.respool.api.translate.ClusterTranslator;
import io.respool.api.translate.Translation;
import io.respool.demo.Manifests;
import io.respool.engine.Dimension;
import io.respool.engine.Engine;
import io.respool.engine.Plan;
import io.respool.engine.PoolDimensionStatus;
import io.respool.engine.PoolStatus;
import io.respool.engine.Quantities;
import io.respool.engine.WorkloadDimensionStatus;
import io.respool.engine.WorkloadStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every file in examples/ applied to a simulated cluster with the operator running: the cluster
 * converges to what {@code respool plan -f examples/} computes for the same files (the engine run
 * here on the same input, exactly as the plan command runs it), and every admitted workload runs
 * on a node of the right kind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExamplesE2E extends E2ESupport {

    private Manifests examples;
    private Plan expected;
    private Map<String, WorkloadStatus> expectedWorkloads;

    @BeforeAll
    void applyExamples() {
        examples = Manifests.read(List.of(repositoryRoot().resolve("examples")));
        Translation translation = ClusterTranslator.translate(examples.clusterObjects());
        assertThat(translation.errors()).isEmpty();
        expected = Engine.compute(translation.spec());
        expectedWorkloads = expected.workloads().stream().collect(Collectors.toMap(WorkloadStatus::key, w -> w));
        startOperatorInProcess();
        examples.apply(cluster);
        // Converged: every workload the plan admits and places runs there, every other one says why
        // not, with the plan's reason.
        eventually(CONVERGE, () -> {
            for (HasMetadata w : workloads()) {
                WorkloadStatus want = expectedWorkloads.get(key(w));
                WorkloadStatusFields have = status(w);
                assertThat(have).as(key(w)).isNotNull();
                if (want.active()) {
                    assertThat(have.getNode()).as(key(w)).isEqualTo(want.node());
                    assertThat(podsOf(w)).as(key(w)).hasSize(1);
                    assertThat(have.getPhase()).as(() -> describe(w)).isEqualTo("Running");
                } else {
                    assertThat(condition(have.getConditions(), "Admitted").getReason()).as(key(w))
                            .isEqualTo(want.reason());
                }
            }
            assertThat(plans().values().stream().mapToInt(p -> p.getSpec().getWorkloads().size()).sum())
                    .isEqualTo((int) expected.workloads().stream().filter(WorkloadStatus::active).count());
        });
    }

    private List<HasMetadata> workloads() {
        List<HasMetadata> all = new ArrayList<>(virtualMachines());
        all.addAll(containers());
        return all;
    }

    @Test
    @Order(1)
    void everyAdmissibleWorkloadRunsOnANodeOfTheRightKind() {
        Map<String, Node> nodes = new HashMap<>();
        client.nodes().list().getItems().forEach(n -> nodes.put(n.getMetadata().getName(), n));
        List<HasMetadata> all = workloads();
        assertThat(all).hasSize(expected.workloads().size());
        int running = 0;
        for (HasMetadata w : all) {
            WorkloadStatus want = expectedWorkloads.get(key(w));
            WorkloadStatusFields have = status(w);
            if (!want.active()) {
                assertThat(podsOf(w)).as("pods of refused " + key(w)).isEmpty();
                assertThat(condition(have.getConditions(), "Admitted").getMessage()).as(key(w)).isEqualTo(want.message());
                continue;
            }
            running++;
            List<Pod> pods = podsOf(w);
            assertThat(pods).as("pods of " + key(w)).hasSize(1);
            Pod pod = pods.get(0);
            // Pinned to the chosen node (required node affinity); bound there unless over-booked.
            assertThat(pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                    .getNodeSelectorTerms().get(0).getMatchExpressions().get(0).getValues()).as(key(w))
                    .containsExactly(want.node());
            assertThat(pod.getSpec().getNodeName()).as(key(w)).isEqualTo(want.node());
            assertThat(runningAndReady(pod)).as(key(w) + " pod Running and Ready").isTrue();
            Map<String, String> labels = nodes.get(want.node()).getMetadata().getLabels();
            if (w instanceof VirtualMachine) {
                assertThat(labels).as(key(w) + " on a KubeVirt node").containsEntry("kubevirt.io/schedulable", "true");
                assertThat(condition(have.getConditions(), "Ready").getStatus()).as(key(w)).isEqualTo("True");
            }
            assertThat(condition(have.getConditions(), "Admitted").getStatus()).as(key(w)).isEqualTo("True");
            assertThat(condition(have.getConditions(), "Placed").getStatus()).as(key(w)).isEqualTo("True");
        }
        // Concrete numbers, as `respool plan -f examples/` prints them (its golden all.table.txt).
        assertThat(running).isEqualTo(22);
        assertThat(status(workload("VirtualMachine/classic/classic-a")).getNode()).isEqualTo("classic-host");
        assertThat(entitlement("VirtualMachine/classic/classic-a", Dimension.CPU)).isEqualTo("1");
        assertThat(entitlement("VirtualMachine/classic/classic-c", Dimension.MEMORY)).isEqualTo("1Gi");
        assertThat(condition(status(workload("VirtualMachine/accounting/acct-3")).getConditions(), "Admitted")
                .getReason()).isEqualTo("InsufficientReservation");
    }

    @Test
    @Order(2)
    void workloadFiguresAreThePlansFigures() {
        SoftAssertions soft = new SoftAssertions();
        for (HasMetadata w : workloads()) {
            WorkloadStatus want = expectedWorkloads.get(key(w));
            Map<String, WorkloadResourceStatus> have = status(w).getResources();
            for (Dimension d : expected.dimensions()) {
                WorkloadDimensionStatus e = want.dimension(d);
                if (e == null || !want.active()) {
                    continue;
                }
                WorkloadResourceStatus h = have.get(d.jsonName());
                String where = key(w) + " " + d.jsonName();
                soft.assertThat(h).as(where).isNotNull();
                if (h == null) {
                    continue;
                }
                soft.assertThat(base(d, h.getEntitlement())).as(where + " entitlement").isEqualTo(e.entitlement());
                soft.assertThat(base(d, h.getCap())).as(where + " cap").isEqualTo(e.cap());
                soft.assertThat(base(d, h.getEffectiveLimit())).as(where + " effective limit").isEqualTo(e.effectiveLimit());
                soft.assertThat(base(d, h.getDemand())).as(where + " demand").isEqualTo(e.demand());
                soft.assertThat(h.getShares()).as(where + " shares").isEqualTo(e.shares());
            }
        }
        soft.assertAll();
    }

    @Test
    @Order(3)
    void poolStatusIsWhatThePlanComputes() {
        Map<String, PoolStatus> want = new TreeMap<>();
        expected.pools().forEach(p -> want.put(p.name(), p));
        want.remove("root");
        want.remove("");
        Map<String, ResourcePool> have = new TreeMap<>();
        pools().forEach(p -> have.put(p.getMetadata().getName(), p));
        assertThat(have.keySet()).isEqualTo(want.keySet());
        SoftAssertions soft = new SoftAssertions();
        for (var e : want.entrySet()) {
            ResourcePool pool = have.get(e.getKey());
            PoolStatus p = e.getValue();
            soft.assertThat(pool.getStatus().getHealth()).as(e.getKey() + " health").isEqualTo(p.health().display());
            for (Dimension d : expected.dimensions()) {
                PoolDimensionStatus x = p.dimension(d);
                PoolResourceStatus r = pool.getStatus().getResources().get(d.jsonName());
                String where = e.getKey() + " " + d.jsonName();
                soft.assertThat(r).as(where).isNotNull();
                if (x == null || r == null) {
                    continue;
                }
                soft.assertThat(base(d, r.getReservation())).as(where + " reservation").isEqualTo(x.reservation());
                soft.assertThat(base(d, r.getUsed())).as(where + " used").isEqualTo(x.used());
                soft.assertThat(base(d, r.getAvailable())).as(where + " available").isEqualTo(x.available());
                soft.assertThat(base(d, r.getEntitlement())).as(where + " entitlement").isEqualTo(x.entitlement());
                soft.assertThat(base(d, r.getEffectiveLimit())).as(where + " effective limit").isEqualTo(x.effectiveLimit());
                soft.assertThat(r.getEffectiveShares()).as(where + " effective shares").isEqualTo(x.effectiveShares());
                soft.assertThat(r.getHealth()).as(where + " health").isEqualTo(x.health().display());
            }
        }
        soft.assertAll();
        // Concrete figures, as in the plan's golden all.table.txt.
        var engineering = pool("engineering").getStatus().getResources().get("cpu");
        assertThat(List.of(engineering.getReservation(), engineering.getUsed(), engineering.getAvailable(),
                engineering.getEntitlement())).containsExactly(new Quantity("4"), new Quantity("2"), new Quantity("10"),
                new Quantity("6"));
        var hosting = pool("hosting").getStatus().getResources();
        assertThat(List.of(hosting.get("cpu").getUsed(), hosting.get("cpu").getAvailable(),
                hosting.get("cpu").getEntitlement(), hosting.get("networkEgress").getEntitlement()))
                .containsExactly(new Quantity("1750m"), new Quantity("38250m"), new Quantity("5"), new Quantity("500M"));
        assertThat(pool("accounting").getStatus().getResources().get("cpu").getAvailable()).isEqualTo(new Quantity("0"));
        assertThat(pools()).allSatisfy(p -> assertThat(p.getStatus().getHealth()).isEqualTo("Valid"));
    }

    @Test
    @Order(4)
    void oneNodeResourcePlanPerNodeWithThePlansTargetsAndPodUids() {
        Map<String, NodeResourcePlan> plans = plans();
        Set<String> nodes = client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName())
                .collect(Collectors.toSet());
        assertThat(plans.keySet()).isEqualTo(nodes);
        SoftAssertions soft = new SoftAssertions();
        for (var node : expected.nodes()) {
            NodeResourcePlan plan = plans.get(node.name());
            List<String> planned = plan.getSpec().getWorkloads().stream()
                    .map(w -> w.getKind() + "/" + w.getNamespace() + "/" + w.getName()).sorted().toList();
            soft.assertThat(planned).as(node.name()).isEqualTo(node.workloads().stream().sorted().toList());
            for (PlannedWorkload pw : plan.getSpec().getWorkloads()) {
                String k = pw.getKind() + "/" + pw.getNamespace() + "/" + pw.getName();
                WorkloadStatus want = expectedWorkloads.get(k);
                HasMetadata w = workloads().stream().filter(x -> key(x).equals(k)).findFirst().orElseThrow();
                soft.assertThat(pw.getPodUID()).as(k + " pod UID").isEqualTo(podsOf(w).get(0).getMetadata().getUid());
                soft.assertThat(pw.getCpu().toEngine()).as(k + " cpu target").isEqualTo(want.dimension(Dimension.CPU).target());
                soft.assertThat(pw.getMemory().toEngine()).as(k + " memory target")
                        .isEqualTo(want.dimension(Dimension.MEMORY).target());
            }
        }
        soft.assertAll();
    }

    @Test
    @Order(5)
    void withoutNodeAgentsNoWorkloadClaimsToBeEnforced() {
        // This scenario runs no node agent: nothing reports on the node plans, so no workload may say
        // Enforced=True; placed ones wait for their node's agent, refused ones have no node.
        for (HasMetadata w : workloads()) {
            WorkloadStatus want = expectedWorkloads.get(key(w));
            Condition enforced = condition(status(w).getConditions(), "Enforced");
            assertThat(enforced.getStatus()).as(key(w)).isEqualTo("Unknown");
            if (want.active()) {
                assertThat(enforced.getReason()).as(key(w)).isEqualTo("AgentNotReporting");
                assertThat(enforced.getMessage()).as(key(w)).isEqualTo("the node agent on node \"" + want.node()
                        + "\" has not reported on this workload's current plan yet");
            } else {
                assertThat(enforced.getReason()).as(key(w)).isEqualTo("NotPlaced");
            }
        }
    }

    private HasMetadata workload(String key) {
        return workloads().stream().filter(x -> key(x).equals(key)).findFirst().orElseThrow();
    }

    private String entitlement(String key, Dimension d) {
        Quantity q = status(workload(key)).getResources().get(d.jsonName()).getEntitlement();
        return q.getAmount() + (q.getFormat() == null ? "" : q.getFormat());
    }

    /** A status quantity in the engine's base units; null (no limit) is unlimited. */
    static long base(Dimension d, Quantity q) {
        return q == null ? Quantities.UNLIMITED : Quantities.parse(d, q.getAmount() + (q.getFormat() == null ? "" : q.getFormat()));
    }
}
