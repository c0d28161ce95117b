package io.respool.agent.report;

import io.respool.agent.cgroup.CgroupDriver;
import io.respool.agent.cgroup.CgroupVersion;
import io.respool.agent.cgroup.FileOutcome;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of one pass over a node's plan: what the node's status reports.
 *
 * @param nodeName   the node
 * @param generation the plan generation applied
 * @param version    cgroup version, null when the cgroups could not be read
 * @param driver     the kubelet's cgroup driver, null when unknown
 * @param workloads  one per workload of the plan, in plan order
 * @param ancestors  outcomes for shared ancestors (v2 memory.min)
 * @param problem    a node-wide problem (no usable cgroup hierarchy), null when none
 * @param at         when the pass ended
 */
public record NodeReport(String nodeName, long generation, CgroupVersion version, CgroupDriver driver,
                         List<WorkloadReport> workloads, List<FileOutcome> ancestors, String problem,
                         Instant at) {

    public NodeReport {
        workloads = List.copyOf(workloads);
        ancestors = List.copyOf(ancestors);
    }

    public boolean fullyEnforced() {
        return problem == null && workloads.stream().allMatch(WorkloadReport::fullyEnforced);
    }
}
