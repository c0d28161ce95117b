package io.respool.operator.controller;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.respool.api.NodeResourcePlan;
import io.respool.api.NodeResourcePlanSpec;
import io.respool.api.NodeTarget;
import io.respool.api.PlannedWorkload;
import io.respool.operator.cluster.ClusterCache;
import io.respool.operator.cluster.Labels;
import io.respool.operator.planning.PlanResult;
import io.respool.operator.planning.PlanResult.NodeView;
import io.respool.operator.planning.Planner;
import io.respool.operator.planning.ReconcileTriggers;
import io.respool.operator.status.Statuses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Node: writes its {@code NodeResourcePlan} (same name, owned by the Node) with each workload
 * placed there, its pod UID and its targets (and a VM's launcher memory overhead, which the agent
 * adds to its memory cap), whenever the plan for that node changed. Only the
 * spec: the status belongs to the node agent. Node updates themselves (heartbeats, conditions) do
 * not reconcile; the planner does, for the nodes whose plan changed.
 */
@ControllerConfiguration(name = "noderesourceplan", fieldManager = Labels.FIELD_MANAGER)
public final class NodePlanReconciler implements Reconciler<Node> {

    private final KubernetesClient client;
    private final Planner planner;
    private final ClusterCache cache;
    private final ReconcileTriggers triggers;

    public NodePlanReconciler(KubernetesClient client, Planner planner, ClusterCache cache, ReconcileTriggers triggers) {
        this.client = client;
        this.planner = planner;
        this.cache = cache;
        this.triggers = triggers;
    }

    @Override
    public List<EventSource<?, Node>> prepareEventSources(EventSourceContext<Node> context) {
        return List.of(triggers.nodes());
    }

    @Override
    public UpdateControl<Node> reconcile(Node node, Context<Node> context) {
        PlanResult plan = planner.latest();
        NodeView view = plan == null ? null : plan.node(node.getMetadata().getName());
        if (view == null) {
            return UpdateControl.noUpdate();
        }
        NodeResourcePlan desired = desired(node, view);
        NodeResourcePlan existing = cache.nodeResourcePlan(node.getMetadata().getName()).orElse(null);
        if (existing == null || !Statuses.same(desired.getSpec(), existing.getSpec())) {
            client.resources(NodeResourcePlan.class).resource(desired)
                    .fieldManager(Labels.FIELD_MANAGER).forceConflicts().serverSideApply();
        }
        return UpdateControl.noUpdate();
    }

    static NodeResourcePlan desired(Node node, NodeView view) {
        List<PlannedWorkload> workloads = new ArrayList<>(view.workloads().size());
        for (PlanResult.PlannedEntry e : view.workloads()) {
            PlannedWorkload w = new PlannedWorkload(e.ref().kind().kindName(), e.ref().namespace(), e.ref().name(),
                    e.pool(), e.podUid());
            for (Map.Entry<io.respool.engine.Dimension, PlanResult.Target> t : e.targets().entrySet()) {
                PlanResult.Target target = t.getValue();
                w.setTarget(t.getKey(), new NodeTarget(target.weight(), target.floor(), target.cap(), target.shares()));
            }
            if (e.memoryOverhead() > 0) {
                w.setMemoryOverhead(e.memoryOverhead());
            }
            workloads.add(w);
        }
        NodeResourcePlan plan = new NodeResourcePlan();
        plan.setMetadata(new ObjectMetaBuilder()
                .withName(node.getMetadata().getName())
                .withLabels(Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE))
                .withOwnerReferences(new OwnerReferenceBuilder()
                        .withApiVersion("v1").withKind("Node")
                        .withName(node.getMetadata().getName()).withUid(node.getMetadata().getUid())
                        .build())
                .build());
        plan.setSpec(new NodeResourcePlanSpec(node.getMetadata().getName(), workloads));
        return plan;
    }
}
