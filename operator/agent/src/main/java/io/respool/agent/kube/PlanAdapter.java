package io.respool.agent.kube;

import io.respool.agent.NodeTargets;
import io.respool.agent.WorkloadTargets;
import io.respool.api.NodeResourcePlan;
import io.respool.api.NodeTarget;
import io.respool.api.PlannedWorkload;
import io.respool.engine.CgroupRenderer;
import io.respool.engine.Dimension;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a {@link NodeResourcePlan} into the agent's own model. */
public final class PlanAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(PlanAdapter.class);

    private PlanAdapter() {
    }

    public static NodeTargets toTargets(NodeResourcePlan plan) {
        String node = plan.getSpec() != null && plan.getSpec().getNodeName() != null
                ? plan.getSpec().getNodeName() : plan.getMetadata().getName();
        Long generation = plan.getMetadata() == null ? null : plan.getMetadata().getGeneration();
        List<WorkloadTargets> out = new ArrayList<>();
        List<PlannedWorkload> workloads = plan.getSpec() == null || plan.getSpec().getWorkloads() == null
                ? List.of() : plan.getSpec().getWorkloads();
        for (PlannedWorkload w : workloads) {
            if (w == null || w.getKind() == null || w.getName() == null) {
                LOG.warn("NodeResourcePlan {}: skipped a workload without kind or name", node);
                continue;
            }
            Map<Dimension, CgroupRenderer.Target> targets = new EnumMap<>(Dimension.class);
            for (Dimension d : Dimension.values()) {
                NodeTarget t = w.target(d);
                if (t != null) {
                    targets.put(d, t.toEngine());
                }
            }
            // Only a VM's pod holds more than the workload (KubeVirt's virt-launcher).
            long overhead = PlannedWorkload.VIRTUAL_MACHINE.equals(w.getKind()) && w.getMemoryOverhead() != null
                    ? Math.max(0, w.getMemoryOverhead()) : 0;
            out.add(new WorkloadTargets(w.getKind(), w.getNamespace(), w.getName(), w.getPool(), w.getPodUID(),
                    targets, overhead));
        }
        return new NodeTargets(node, generation == null ? 0 : generation, out);
    }
}
