package io.respool.operator.planning;

import io.respool.engine.Dimension;
import io.respool.engine.PoolDimensionStatus;
import io.respool.engine.PoolStatus;
import io.respool.engine.Quantities;
import io.respool.engine.WorkloadDimensionStatus;
import io.respool.engine.WorkloadStatus;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides whether a new view is worth writing. Under contention one new workload moves every
 * sibling's entitlement by a little (E = S·λ), and writing each of those moves would cost one
 * status write per workload per engine run. So the volatile figures (demand, entitlement, cap,
 * node target, a pool's entitlement and effective shares) count as changed only when they move by
 * more than {@link #TOLERANCE} of their value; everything else (admission, node, reasons,
 * reservations, limits, pod UIDs, membership) counts when it changes at all. Callers compare
 * against the view they last acted on, not the previous plan, so figures never drift further
 * than the tolerance from what was written.
 */
public final class MaterialChange {

    /** Relative move of a volatile figure that is worth a write. */
    public static final double TOLERANCE = 0.02;

    private MaterialChange() {
    }

    public static boolean workload(PlanResult.WorkloadView before, PlanResult.WorkloadView after) {
        if (before == null || after == null) {
            return before != after;
        }
        if (!before.ref().equals(after.ref()) || !Objects.equals(before.uid(), after.uid())
                || before.generation() != after.generation() || !Objects.equals(before.refusal(), after.refusal())
                || before.kubeVirtInstalled() != after.kubeVirtInstalled()) {
            return true;
        }
        WorkloadStatus a = before.status();
        WorkloadStatus b = after.status();
        if (a == null || b == null) {
            return a != b;
        }
        if (a.admitted() != b.admitted() || !Objects.equals(a.reason(), b.reason())
                || !Objects.equals(a.message(), b.message()) || !Objects.equals(a.node(), b.node())
                || !Objects.equals(a.pool(), b.pool()) || !a.dimensions().keySet().equals(b.dimensions().keySet())) {
            return true;
        }
        for (Map.Entry<Dimension, WorkloadDimensionStatus> e : a.dimensions().entrySet()) {
            WorkloadDimensionStatus x = e.getValue();
            WorkloadDimensionStatus y = b.dimensions().get(e.getKey());
            if (x.reservation() != y.reservation() || x.limit() != y.limit()
                    || x.effectiveLimit() != y.effectiveLimit() || x.shares() != y.shares()
                    || !close(x.demand(), y.demand()) || !close(x.entitlement(), y.entitlement())
                    || !close(x.cap(), y.cap()) || !close(x.nodeTarget(), y.nodeTarget())) {
                return true;
            }
        }
        return false;
    }

    public static boolean pool(PlanResult.PoolView before, PlanResult.PoolView after) {
        if (before == null || after == null) {
            return before != after;
        }
        if (!before.name().equals(after.name()) || !Objects.equals(before.uid(), after.uid())
                || before.generation() != after.generation() || !before.errors().equals(after.errors())
                || before.deleting() != after.deleting() || !before.childPools().equals(after.childPools())
                || !before.workloads().equals(after.workloads())) {
            return true;
        }
        PoolStatus a = before.status();
        PoolStatus b = after.status();
        if (a == null || b == null) {
            return a != b;
        }
        if (a.health() != b.health() || !Objects.equals(a.parent(), b.parent())
                || !a.conditions().equals(b.conditions()) || !a.dimensions().keySet().equals(b.dimensions().keySet())) {
            return true;
        }
        for (Map.Entry<Dimension, PoolDimensionStatus> e : a.dimensions().entrySet()) {
            PoolDimensionStatus x = e.getValue();
            PoolDimensionStatus y = b.dimensions().get(e.getKey());
            if (x.reservation() != y.reservation() || x.limit() != y.limit()
                    || x.effectiveLimit() != y.effectiveLimit() || x.shares() != y.shares()
                    || x.expandable() != y.expandable() || x.used() != y.used() || x.available() != y.available()
                    || x.health() != y.health() || !close(x.effectiveShares(), y.effectiveShares())
                    || !close(x.entitlement(), y.entitlement())) {
                return true;
            }
        }
        return false;
    }

    public static boolean node(PlanResult.NodeView before, PlanResult.NodeView after) {
        if (before == null || after == null) {
            return before != after;
        }
        if (!before.name().equals(after.name()) || !Objects.equals(before.uid(), after.uid())) {
            return true;
        }
        List<PlanResult.PlannedEntry> a = before.workloads();
        List<PlanResult.PlannedEntry> b = after.workloads();
        if (a.size() != b.size()) {
            return true;
        }
        for (int i = 0; i < a.size(); i++) {
            PlanResult.PlannedEntry x = a.get(i);
            PlanResult.PlannedEntry y = b.get(i);
            if (!x.ref().equals(y.ref()) || !Objects.equals(x.pool(), y.pool())
                    || !Objects.equals(x.podUid(), y.podUid()) || x.memoryOverhead() != y.memoryOverhead()
                    || !x.targets().keySet().equals(y.targets().keySet())) {
                return true;
            }
            for (Map.Entry<Dimension, PlanResult.Target> e : x.targets().entrySet()) {
                PlanResult.Target s = e.getValue();
                PlanResult.Target t = y.targets().get(e.getKey());
                if (s.floor() != t.floor() || s.shares() != t.shares() || !close(s.weight(), t.weight())
                        || !close(cap(s.cap()), cap(t.cap()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long cap(Long cap) {
        return cap == null ? Quantities.UNLIMITED : cap;
    }

    /** Equal, or both finite and within the tolerance of the larger. */
    static boolean close(long a, long b) {
        if (a == b) {
            return true;
        }
        if (a == Quantities.UNLIMITED || b == Quantities.UNLIMITED) {
            return false;
        }
        return Math.abs(a - b) <= TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
    }
}
