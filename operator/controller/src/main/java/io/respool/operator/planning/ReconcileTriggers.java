package io.respool.operator.planning;

import io.fabric8.kubernetes.api.model.Node;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.respool.api.Container;
import io.respool.api.ResourcePool;
import io.respool.api.VirtualMachine;
import io.respool.engine.WorkloadKind;
import io.respool.operator.cluster.ClusterCache;
import io.respool.operator.cluster.WorkloadRef;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns plans and owned-object changes into reconciles. It feeds one JOSDK event source per
 * controller: after each engine run, every pool, workload and node whose view changed is
 * reconciled (and nothing else); a change of a workload's Pod or KubeVirt VM, or of the
 * enforcement its node's agent reports for it (its {@code Enforced} condition), reconciles that
 * workload at once without planning. Changes of the engine's input go to the planner.
 */
public final class ReconcileTriggers implements PlanListener, ClusterCache.Listener {

    private final Planner planner;
    private final SimpleInboundEventSource<ResourcePool> pools = new SimpleInboundEventSource<>("respool-plan");
    private final SimpleInboundEventSource<VirtualMachine> virtualMachines =
            new SimpleInboundEventSource<>("respool-plan-and-owned");
    private final SimpleInboundEventSource<Container> containers =
            new SimpleInboundEventSource<>("respool-plan-and-owned");
    private final SimpleInboundEventSource<Node> nodes = new SimpleInboundEventSource<>("respool-plan");

    /** The views each object was last reconciled for (written by one engine run at a time). */
    private final Map<String, PlanResult.WorkloadView> actedWorkloads = new HashMap<>();
    private final Map<String, PlanResult.PoolView> actedPools = new HashMap<>();
    private final Map<String, PlanResult.NodeView> actedNodes = new HashMap<>();

    public ReconcileTriggers(Planner planner) {
        this.planner = planner;
    }

    public SimpleInboundEventSource<ResourcePool> pools() {
        return pools;
    }

    public SimpleInboundEventSource<VirtualMachine> virtualMachines() {
        return virtualMachines;
    }

    public SimpleInboundEventSource<Container> containers() {
        return containers;
    }

    public SimpleInboundEventSource<Node> nodes() {
        return nodes;
    }

    @Override
    public void inputChanged() {
        planner.markDirty();
    }

    @Override
    public void ownedObjectChanged(WorkloadRef workload) {
        trigger(workload);
    }

    /**
     * Reconciles what changed materially since the view last acted on (see {@link MaterialChange}):
     * a small move of entitlements under contention does not cost a write per workload per run.
     * Without a previous plan (the first run, a takeover) everything is reconciled.
     */
    @Override
    public void planned(PlanResult previous, PlanResult next) {
        if (previous == null) {
            // The first plan, or the first of a new leader: what a standby would have reconciled never was.
            actedWorkloads.clear();
            actedPools.clear();
            actedNodes.clear();
        }
        next.workloads().forEach((key, view) -> {
            if (MaterialChange.workload(actedWorkloads.get(key), view)) {
                actedWorkloads.put(key, view);
                trigger(view.ref());
            }
        });
        next.pools().forEach((name, view) -> {
            if (MaterialChange.pool(actedPools.get(name), view)) {
                actedPools.put(name, view);
                pools.propagateEvent(new ResourceID(name));
            }
        });
        next.nodes().forEach((name, view) -> {
            if (MaterialChange.node(actedNodes.get(name), view)) {
                actedNodes.put(name, view);
                nodes.propagateEvent(new ResourceID(name));
            }
        });
        actedWorkloads.keySet().retainAll(next.workloads().keySet());
        actedPools.keySet().retainAll(next.pools().keySet());
        actedNodes.keySet().retainAll(next.nodes().keySet());
    }

    private void trigger(WorkloadRef ref) {
        ResourceID id = new ResourceID(ref.name(), ref.namespace());
        if (ref.kind() == WorkloadKind.VIRTUAL_MACHINE) {
            virtualMachines.propagateEvent(id);
        } else {
            containers.propagateEvent(id);
        }
    }
}
