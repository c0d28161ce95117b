package io.respool.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.respool.api.AppliedWorkload;
import io.respool.api.ContainerStatus;
import io.respool.api.DimensionEnforcement;
import io.respool.api.NodeResourcePlan;
import io.respool.api.NodeResourcePlanSpec;
import io.respool.api.NodeResourcePlanStatus;
import io.respool.api.NodeTarget;
import io.respool.api.PlannedWorkload;
import io.respool.engine.Dimension;
import io.respool.engine.WorkloadDimensionStatus;
import io.respool.engine.WorkloadKind;
import io.respool.engine.WorkloadStatus;
import io.respool.operator.cluster.WorkloadRef;
import io.respool.operator.planning.PlanResult;
import io.respool.operator.status.Enforcement.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnforcementTest {

    private static final WorkloadRef WEB = new WorkloadRef(WorkloadKind.CONTAINER, "shop", "web");
    private static final String POD = "0a1b2c3d-0000-4000-8000-000000000001";

    /** A plan of generation 7 for node-1 with web in play for cpu, memory and networkEgress. */
    private static NodeResourcePlan plan() {
        PlannedWorkload w = new PlannedWorkload("Container", "shop", "web", null, POD);
        w.setTarget(Dimension.CPU, new NodeTarget(500, 250, 1000L, 1000));
        w.setTarget(Dimension.MEMORY, new NodeTarget(1L << 30, 256L << 20, 1L << 30, 10240));
        w.setTarget(Dimension.NETWORK_EGRESS, new NodeTarget(100_000_000, 0, 100_000_000L, 1000));
        NodeResourcePlan plan = new NodeResourcePlan();
        plan.setMetadata(new ObjectMetaBuilder().withName("node-1").withGeneration(7L).build());
        plan.setSpec(new NodeResourcePlanSpec("node-1", new ArrayList<>(List.of(w))));
        return plan;
    }

    /** What the agent reports: observedGeneration and web's enforcement per dimension. */
    private static NodeResourcePlan reported(long observedGeneration, DimensionEnforcement... dimensions) {
        NodeResourcePlan plan = plan();
        NodeResourcePlanStatus status = new NodeResourcePlanStatus();
        status.setObservedGeneration(observedGeneration);
        AppliedWorkload applied = new AppliedWorkload("Container", "shop", "web", POD);
        applied.setFound(true);
        applied.setEnforcement(List.of(dimensions));
        status.setWorkloads(List.of(applied));
        plan.setStatus(status);
        return plan;
    }

    private static DimensionEnforcement ok(String dimension) {
        return new DimensionEnforcement(dimension, true, "Applied", "");
    }

    private static DimensionEnforcement gap(String dimension, String reason, String message) {
        return new DimensionEnforcement(dimension, false, reason, message);
    }

    @Test
    void everyDimensionInPlayEnforcedIsTrue() {
        Verdict v = Enforcement.of(WEB, "node-1", reported(7, ok("cpu"), ok("memory"), ok("networkEgress")), 7);
        assertThat(v).isEqualTo(new Verdict("True", "AllEnforced",
                "the node agent on node \"node-1\" enforces every dimension in play: cpu, memory, networkEgress"));
    }

    @Test
    void oneDimensionNotEnforcedIsFalseNamingTheNodeTheDimensionAndTheAgentsReason() {
        Verdict v = Enforcement.of(WEB, "node-1", reported(7, ok("cpu"), ok("memory"),
                gap("networkEgress", "NotImplemented", "the agent does not shape traffic yet")), 7);
        assertThat(v).isEqualTo(new Verdict("False", "PartiallyEnforced", "not enforced on node \"node-1\":"
                + " networkEgress (NotImplemented: the agent does not shape traffic yet)"));
    }

    @Test
    void nothingEnforcedIsNotAppliedAndListsEachDimension() {
        Verdict v = Enforcement.of(WEB, "node-1", reported(7, gap("cpu", "CgroupNotFound", "no pod cgroup"),
                gap("memory", "CgroupNotFound", "no pod cgroup"), gap("networkEgress", "NotImplemented", null)), 7);
        assertThat(v.status()).isEqualTo("False");
        assertThat(v.reason()).isEqualTo("NotApplied");
        assertThat(v.message()).isEqualTo("not enforced on node \"node-1\": cpu (CgroupNotFound: no pod cgroup);"
                + " memory (CgroupNotFound: no pod cgroup); networkEgress (NotImplemented)");
    }

    @Test
    void aDimensionInPlayTheAgentDoesNotReportIsNotEnforced() {
        Verdict v = Enforcement.of(WEB, "node-1", reported(7, ok("cpu"), ok("memory")), 7);
        assertThat(v).isEqualTo(new Verdict("False", "PartiallyEnforced",
                "not enforced on node \"node-1\": networkEgress (not reported by the node agent)"));
    }

    @Test
    void gapsOfDimensionsNotInPlayDoNotCount() {
        Verdict v = Enforcement.of(WEB, "node-1", reported(7, ok("cpu"), ok("memory"), ok("networkEgress"),
                gap("diskIOPS", "NoBlockDevices", "no block device")), 7);
        assertThat(v.status()).isEqualTo("True");
    }

    @Test
    void notPlacedOrNoReportForTheCurrentEntryIsUnknown() {
        assertThat(Enforcement.of(WEB, null, reported(7, ok("cpu")), 7))
                .isEqualTo(new Verdict("Unknown", "NotPlaced", "not placed on a node: nothing to enforce"));
        Verdict waiting = new Verdict("Unknown", "AgentNotReporting",
                "the node agent on node \"node-1\" has not reported on this workload's current plan yet");
        assertThat(Enforcement.of(WEB, "node-1", null, 0)).as("no plan").isEqualTo(waiting);
        assertThat(Enforcement.of(WEB, "node-1", plan(), 7)).as("no status").isEqualTo(waiting);
        NodeResourcePlan other = reported(7, ok("cpu"));
        other.getSpec().getWorkloads().clear();
        assertThat(Enforcement.of(WEB, "node-1", other, 7)).as("not in the plan yet").isEqualTo(waiting);
        assertThat(Enforcement.of(WEB, "node-1", reported(6, ok("cpu"), ok("memory"), ok("networkEgress")), 7))
                .as("the entry changed at generation 7, the agent reported on 6").isEqualTo(waiting);
        NodeResourcePlan newPod = reported(7, ok("cpu"), ok("memory"), ok("networkEgress"));
        newPod.getStatus().getWorkloads().get(0).setPodUID("0a1b2c3d-0000-4000-8000-000000000002");
        assertThat(Enforcement.of(WEB, "node-1", newPod, 7)).as("a report about another pod").isEqualTo(waiting);
    }

    @Test
    void aReportOlderThanThePlanStillCountsWhenTheWorkloadsEntryHasNotChangedSince() {
        Verdict v = Enforcement.of(WEB, "node-1", reported(5, ok("cpu"), ok("memory"), ok("networkEgress")), 5);
        assertThat(v.status()).isEqualTo("True");
    }

    @Test
    void aCurrentReportWithoutTheWorkloadIsNotAppliedWithTheAgentsProblem() {
        NodeResourcePlan plan = reported(7);
        plan.getStatus().setWorkloads(List.of());
        assertThat(Enforcement.of(WEB, "node-1", plan, 7)).isEqualTo(new Verdict("False", "NotApplied",
                "nothing enforced on node \"node-1\": the node agent's report of plan generation 7 does not list"
                        + " this workload"));
        plan.getStatus().setConditions(List.of(new ConditionBuilder().withType("Ready").withStatus("False")
                .withReason("CgroupUnavailable").withMessage("no cgroup hierarchy under /host/cgroup").build()));
        assertThat(Enforcement.of(WEB, "node-1", plan, 7).message()).isEqualTo("nothing enforced on node"
                + " \"node-1\": the node agent cannot apply the plan (CgroupUnavailable: no cgroup hierarchy under"
                + " /host/cgroup)");
    }

    @Test
    void longMessagesAreCut() {
        String longMessage = "x".repeat(2000);
        Verdict v = Enforcement.of(WEB, "node-1", reported(7, ok("cpu"), ok("memory"),
                gap("networkEgress", "NotImplemented", longMessage)), 7);
        assertThat(v.message()).hasSize(Enforcement.MAX_MESSAGE).endsWith("...");
    }

    // ---- the condition in the workload's status

    private static PlanResult.WorkloadView view(String node) {
        WorkloadDimensionStatus cpu = new WorkloadDimensionStatus(250, 1000, 1000, 1000, 1000, 500, 1000, 500);
        WorkloadStatus status = new WorkloadStatus(WorkloadKind.CONTAINER, "shop", "web", "p", true, "Admitted",
                "admitted", node, Map.of(Dimension.CPU, cpu));
        return new PlanResult.WorkloadView(WEB, "uid-1", 3, status, null, false);
    }

    private static final WorkloadStatusBuilder.Observation RUNNING =
            new WorkloadStatusBuilder.Observation(true, "PodReady", "running", "Running");

    @Test
    void theWorkloadsEnforcedConditionKeepsItsTransitionTimeWhileItsStatusStays() {
        Verdict partial = new Verdict("False", "PartiallyEnforced", "not enforced on node \"node-1\": cpu (X)");
        ContainerStatus first = WorkloadStatusBuilder.build(new ContainerStatus(), null, view("node-1"), RUNNING,
                partial);
        Condition c = Conditions.find(first.getConditions(), "Enforced");
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("PartiallyEnforced");
        assertThat(c.getMessage()).isEqualTo(partial.message());
        assertThat(c.getObservedGeneration()).isEqualTo(3L);

        // Same status, other reason: the transition time stays.
        first.getConditions().forEach(x -> x.setLastTransitionTime("2026-01-01T00:00:00Z"));
        ContainerStatus second = WorkloadStatusBuilder.build(new ContainerStatus(), first, view("node-1"), RUNNING,
                new Verdict("False", "NotApplied", "nothing"));
        assertThat(Conditions.find(second.getConditions(), "Enforced").getLastTransitionTime())
                .isEqualTo("2026-01-01T00:00:00Z");
        // Another status: a new transition time.
        ContainerStatus third = WorkloadStatusBuilder.build(new ContainerStatus(), second, view("node-1"), RUNNING,
                new Verdict("True", "AllEnforced", "all"));
        assertThat(Conditions.find(third.getConditions(), "Enforced").getLastTransitionTime())
                .isNotEqualTo("2026-01-01T00:00:00Z");
    }

    @Test
    void aWorkloadWithoutANodeIsUnknownWhateverTheVerdictSays() {
        ContainerStatus s = WorkloadStatusBuilder.build(new ContainerStatus(), null, view(null), RUNNING,
                new Verdict("True", "AllEnforced", "all"));
        Condition c = Conditions.find(s.getConditions(), "Enforced");
        assertThat(c.getStatus()).isEqualTo("Unknown");
        assertThat(c.getReason()).isEqualTo("NotPlaced");
    }
}
