package io.respool.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The engine kept between changes, for the operator: apply one changed workload and learn which
 * statuses changed. Results are always identical to a full {@link Engine#compute} of the same
 * input. A change of measured demand alone (the node agent's steady feedback) is applied
 * incrementally; any other change recomputes everything.
 */
public final class EngineState {

    /** Statuses that differ from the previous plan. */
    public record Update(Plan plan, List<WorkloadStatus> changedWorkloads, List<PoolStatus> changedPools) {
    }

    private final List<PoolSpec> pools;
    private final List<WorkloadSpec> workloads;
    private final Map<String, Integer> workloadIndex = new HashMap<>();
    private final List<NodeSpec> nodes;
    private final Map<String, Map<String, String>> namespaces;
    private Computation computation;
    private Plan plan;

    EngineState(ClusterSpec spec) {
        this.pools = spec.pools();
        this.workloads = new ArrayList<>(spec.workloads());
        this.nodes = spec.nodes();
        this.namespaces = spec.namespaceLabels();
        for (int i = 0; i < workloads.size(); i++) {
            workloadIndex.put(workloads.get(i).key(), i);
        }
        computation = new Computation(spec);
        plan = computation.run();
    }

    public Plan plan() {
        return plan;
    }

    /** Adds the workload, or replaces the one with the same kind, namespace and name. */
    public Update updateWorkload(WorkloadSpec changed) {
        Integer i = workloadIndex.get(changed.key());
        if (i != null && computation.onlyDemandDiffers(i, changed)) {
            workloads.set(i, changed);
            Changes changes = computation.updateDemand(i, changed);
            plan = computation.assemble();
            List<WorkloadStatus> changedWorkloads = new ArrayList<>();
            for (int w = changes.workloads.nextSetBit(0); w >= 0; w = changes.workloads.nextSetBit(w + 1)) {
                changedWorkloads.add(plan.workloads().get(w));
            }
            List<PoolStatus> changedPools = new ArrayList<>();
            for (int p = changes.pools.nextSetBit(0); p >= 0; p = changes.pools.nextSetBit(p + 1)) {
                changedPools.add(computation.poolStatusOf(p));
            }
            return new Update(plan, changedWorkloads, changedPools);
        }
        if (i == null) {
            workloadIndex.put(changed.key(), workloads.size());
            workloads.add(changed);
        } else {
            workloads.set(i, changed);
        }
        Plan before = plan;
        computation = new Computation(new ClusterSpec(pools, workloads, nodes, namespaces));
        plan = computation.run();
        return diff(before, plan);
    }

    private static Update diff(Plan before, Plan after) {
        Map<String, WorkloadStatus> old = new HashMap<>();
        before.workloads().forEach(w -> old.put(w.key(), w));
        List<WorkloadStatus> changedWorkloads = new ArrayList<>();
        for (WorkloadStatus w : after.workloads()) {
            if (!Objects.equals(old.get(w.key()), w)) {
                changedWorkloads.add(w);
            }
        }
        Map<String, PoolStatus> oldPools = new HashMap<>();
        before.pools().forEach(p -> oldPools.put(p.name(), p));
        List<PoolStatus> changedPools = new ArrayList<>();
        for (PoolStatus p : after.pools()) {
            if (!Objects.equals(oldPools.get(p.name()), p)) {
                changedPools.add(p);
            }
        }
        return new Update(after, changedWorkloads, changedPools);
    }
}
