package io.respool.agent;

import io.respool.engine.CgroupRenderer.Target;
import io.respool.engine.Dimension;
import io.respool.engine.Plan;
import io.respool.engine.Quantities;
import io.respool.engine.WorkloadDimensionStatus;
import io.respool.engine.WorkloadStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Builders for plans in tests. */
public final class Targets {

    private Targets() {
    }

    public static Target target(long weight, long floor, long cap, long shares) {
        return new Target(weight, floor, cap, shares);
    }

    public static Target cpu(long millicores, long floor, long cap) {
        return new Target(millicores, floor, cap, 1000);
    }

    public static Target unlimited(long weight) {
        return new Target(weight, 0, Quantities.UNLIMITED, 1000);
    }

    public static WorkloadTargets container(String name, String uid, Map<Dimension, Target> targets) {
        return new WorkloadTargets("Container", "test", name, null, uid, targets);
    }

    public static NodeTargets node(long generation, WorkloadTargets... workloads) {
        return new NodeTargets("node-1", generation, List.of(workloads));
    }

    /**
     * The node targets the engine computed for the workloads placed on {@code node}, as the operator
     * puts them into the plan: weight = node target, floor = reservation, cap = cap, shares.
     */
    public static NodeTargets fromEngine(Plan plan, String node, Map<String, String> podUids) {
        List<WorkloadTargets> out = new ArrayList<>();
        for (WorkloadStatus w : plan.workloads()) {
            if (!node.equals(w.node())) {
                continue;
            }
            Map<Dimension, Target> t = new EnumMap<>(Dimension.class);
            w.dimensions().forEach((d, s) -> t.put(d, target(s)));
            out.add(new WorkloadTargets(w.kind().kindName(), w.namespace(), w.name(), w.pool(),
                    podUids.get(w.name()), t));
        }
        return new NodeTargets(node, 1, out);
    }

    private static Target target(WorkloadDimensionStatus s) {
        return new Target(s.nodeTarget(), s.reservation(), s.cap(), s.shares());
    }
}
