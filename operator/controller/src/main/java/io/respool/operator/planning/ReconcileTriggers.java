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
import java.util.Map;
import java.util.Objects;

/**
 * Turns plans and owned-object changes into reconciles. It feeds one JOSDK event source per
 * controller: after each engine run, every pool, workload and node whose view changed is
 * reconciled (and nothing else); a change of a workload's Pod or KubeVirt VM reconciles that
 * workload at once. Changes of the engine's input go to the planner.
 */
public final class ReconcileTriggers implements PlanListener, ClusterCache.Listener {

    private final Planner planner;
    private final SimpleInboundEventSource<ResourcePool> pools = new SimpleInboundEventSource<>("respool-plan");
    private final SimpleInboundEventSource<VirtualMachine> virtualMachines =
            new SimpleInboundEventSource<>("respool-plan-and-owned");
    private final SimpleInboundEventSource<Container> containers =
            new SimpleInboundEventSource<>("respool-plan-and-owned");
    private final SimpleInboundEventSource<Node> nodes = new SimpleInboundEventSource<>("respool-plan");

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

    @Override
    public void planned(PlanResult previous, PlanResult next) {
        Map<String, PlanResult.WorkloadView> before = previous == null ? Map.of() : previous.workloads();
        next.workloads().forEach((key, view) -> {
            if (!Objects.equals(before.get(key), view)) {
                trigger(view.ref());
            }
        });
        Map<String, PlanResult.PoolView> poolsBefore = previous == null ? Map.of() : previous.pools();
        next.pools().forEach((name, view) -> {
            if (!Objects.equals(poolsBefore.get(name), view)) {
                pools.propagateEvent(new ResourceID(name));
            }
        });
        Map<String, PlanResult.NodeView> nodesBefore = previous == null ? Map.of() : previous.nodes();
        next.nodes().forEach((name, view) -> {
            if (!Objects.equals(nodesBefore.get(name), view)) {
                nodes.propagateEvent(new ResourceID(name));
            }
        });
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
