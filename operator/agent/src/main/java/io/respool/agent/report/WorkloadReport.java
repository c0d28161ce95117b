package io.respool.agent.report;

import io.respool.agent.WorkloadTargets;
import io.respool.agent.cgroup.FileOutcome;
import io.respool.agent.measure.Demand;
import io.respool.agent.measure.Usage;
import java.util.List;
import java.util.Map;

/**
 * One workload after a pass.
 *
 * @param workload    the plan's entry
 * @param found       its pod's cgroup exists on this node
 * @param cgroupPath  the pod cgroup relative to the hierarchy root, null when not found
 * @param applied     file → value in effect, for the files the agent manages
 * @param outcomes    every file touched or checked in this pass
 * @param usage       null until two samples exist
 * @param demand      the demand estimate
 * @param enforcement per dimension of the plan's entry
 */
public record WorkloadReport(WorkloadTargets workload, boolean found, String cgroupPath,
                             Map<String, String> applied, List<FileOutcome> outcomes, Usage usage,
                             Demand demand, List<DimensionReport> enforcement) {

    public WorkloadReport {
        applied = Map.copyOf(applied);
        outcomes = List.copyOf(outcomes);
        enforcement = List.copyOf(enforcement);
    }

    public boolean fullyEnforced() {
        return enforcement.stream().allMatch(DimensionReport::enforced);
    }
}
