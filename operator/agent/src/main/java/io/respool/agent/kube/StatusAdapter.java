package io.respool.agent.kube;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.respool.agent.measure.Usage;
import io.respool.agent.report.DimensionReport;
import io.respool.agent.report.NodeReport;
import io.respool.agent.report.WorkloadReport;
import io.respool.api.AppliedWorkload;
import io.respool.api.DimensionEnforcement;
import io.respool.api.NodeResourcePlanStatus;
import io.respool.api.WorkloadDemand;
import io.respool.api.WorkloadUsage;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;

/**
 * Turns a pass's {@link NodeReport} into the plan's status: layout, per workload the values in
 * effect, usage, demand and per-dimension enforcement, and two conditions: {@code Ready} (the
 * plan of observedGeneration was applied) and {@code Enforced} (every target in play is in effect).
 */
public final class StatusAdapter {

    /** Longest condition message; the per-workload entries carry the details. */
    static final int MAX_MESSAGE = 1000;

    private StatusAdapter() {
    }

    /**
     * @param previous the conditions currently in the status, so that transition times stay put
     *                 while a condition's status does not change
     */
    public static NodeResourcePlanStatus toStatus(NodeReport r, List<Condition> previous) {
        NodeResourcePlanStatus s = new NodeResourcePlanStatus();
        s.setObservedGeneration(r.generation());
        s.setCgroupVersion(r.version() == null ? null : r.version().label());
        s.setCgroupDriver(r.driver() == null ? null : r.driver().label());
        s.setWorkloadCount(r.workloads().size());
        List<AppliedWorkload> workloads = new ArrayList<>();
        for (WorkloadReport w : r.workloads()) {
            workloads.add(workload(w));
        }
        s.setWorkloads(workloads);
        String now = r.at().truncatedTo(ChronoUnit.SECONDS).toString();
        s.setConditions(List.of(ready(r, previous, now), enforced(r, previous, now)));
        s.setLastAppliedTime(now);
        return s;
    }

    static AppliedWorkload workload(WorkloadReport w) {
        AppliedWorkload a = new AppliedWorkload(w.workload().kind(), w.workload().namespace(), w.workload().name(),
                w.workload().podUid());
        a.setFound(w.found());
        a.setCgroupPath(w.cgroupPath());
        a.setApplied(new LinkedHashMap<>(new java.util.TreeMap<>(w.applied())));
        Usage u = w.usage();
        if (u != null) {
            WorkloadUsage wu = new WorkloadUsage();
            wu.setCpuMillicores(u.cpuMillicores());
            wu.setCpuThrottledPeriods(u.cpuThrottledPeriods());
            wu.setMemoryBytes(u.memoryBytes());
            wu.setMemoryWorkingSetBytes(u.memoryWorkingSetBytes());
            wu.setIoReadBytesPerSecond(u.ioReadBytesPerSecond());
            wu.setIoWriteBytesPerSecond(u.ioWriteBytesPerSecond());
            a.setUsage(wu);
        }
        if (w.demand() != null && (w.demand().cpuMillicores() != null || w.demand().memoryBytes() != null)) {
            a.setDemand(new WorkloadDemand(w.demand().cpuMillicores(), w.demand().memoryBytes()));
        }
        List<DimensionEnforcement> e = new ArrayList<>();
        for (DimensionReport d : w.enforcement()) {
            e.add(new DimensionEnforcement(d.dimension().jsonName(), d.enforced(), d.reason(), d.message()));
        }
        a.setEnforcement(e);
        return a;
    }

    private static Condition ready(NodeReport r, List<Condition> previous, String now) {
        if (r.problem() != null) {
            return condition(NodeResourcePlanStatus.READY, "False", "CgroupUnavailable", r.problem(), r, previous, now);
        }
        long found = r.workloads().stream().filter(WorkloadReport::found).count();
        String message = "plan generation " + r.generation() + " applied to " + found + " of "
                + r.workloads().size() + " workload(s)"
                + (found < r.workloads().size() ? "; the others have no pod cgroup on this node (yet)" : "");
        return condition(NodeResourcePlanStatus.READY, "True", "Applied", message, r, previous, now);
    }

    private static Condition enforced(NodeReport r, List<Condition> previous, String now) {
        List<String> gaps = new ArrayList<>();
        for (WorkloadReport w : r.workloads()) {
            for (DimensionReport d : w.enforcement()) {
                if (!d.enforced()) {
                    gaps.add(w.workload().displayName() + " " + d.dimension().jsonName() + ": " + d.reason());
                }
            }
        }
        if (r.problem() == null && gaps.isEmpty()) {
            return condition(NodeResourcePlanStatus.ENFORCED, "True", "AllEnforced",
                    "every target in play is in effect on this node", r, previous, now);
        }
        String message = r.problem() != null ? r.problem()
                : gaps.size() + " target(s) not enforced: " + String.join("; ", gaps);
        if (message.length() > MAX_MESSAGE) {
            message = message.substring(0, MAX_MESSAGE - 3) + "...";
        }
        return condition(NodeResourcePlanStatus.ENFORCED, "False", r.problem() != null ? "CgroupUnavailable"
                : "PartiallyEnforced", message, r, previous, now);
    }

    private static Condition condition(String type, String status, String reason, String message, NodeReport r,
                                       List<Condition> previous, String now) {
        String since = now;
        if (previous != null) {
            for (Condition c : previous) {
                if (type.equals(c.getType()) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null) {
                    since = c.getLastTransitionTime();
                }
            }
        }
        return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
                .withObservedGeneration(r.generation()).withLastTransitionTime(since).build();
    }

    /**
     * What must reach the API server at once when it changes: everything but usage, demand and
     * timestamps, which are refreshed at the status interval.
     */
    public static String signature(NodeResourcePlanStatus s) {
        StringBuilder sb = new StringBuilder();
        sb.append(s.getObservedGeneration()).append('|').append(s.getCgroupVersion()).append('|')
                .append(s.getCgroupDriver()).append('|');
        for (AppliedWorkload w : s.getWorkloads()) {
            sb.append(w.getKind()).append('/').append(w.getNamespace()).append('/').append(w.getName()).append(':')
                    .append(w.getPodUID()).append(':').append(w.isFound()).append(':').append(w.getCgroupPath())
                    .append(':').append(w.getApplied());
            for (DimensionEnforcement e : w.getEnforcement()) {
                sb.append(':').append(e.getDimension()).append('=').append(e.isEnforced()).append('/')
                        .append(e.getReason()).append('/').append(Objects.toString(e.getMessage()));
            }
            sb.append('|');
        }
        for (Condition c : s.getConditions()) {
            sb.append(c.getType()).append('=').append(c.getStatus()).append('/').append(c.getReason()).append('/')
                    .append(c.getMessage()).append('|');
        }
        return sb.toString();
    }
}
