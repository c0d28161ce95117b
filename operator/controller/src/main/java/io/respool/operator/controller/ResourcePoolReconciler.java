package io.respool.operator.controller;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.respool.api.ResourcePool;
import io.respool.api.ResourcePoolStatus;
import io.respool.operator.cluster.Labels;
import io.respool.operator.planning.PlanResult;
import io.respool.operator.planning.PlanResult.PoolView;
import io.respool.operator.planning.Planner;
import io.respool.operator.planning.ReconcileTriggers;
import io.respool.operator.status.Conditions;
import io.respool.operator.status.PoolStatusBuilder;
import io.respool.operator.status.Statuses;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A {@code ResourcePool}: its status from the plan (figures per dimension, health, conditions).
 * Its finalizer holds a deletion while child pools or workloads still name it, with a
 * {@code DeletionBlocked} condition that lists them: nothing is orphaned, no reservation vanishes
 * under an admitted workload. The planner reconciles the pool again when its members change.
 */
@ControllerConfiguration(name = "resourcepool", fieldManager = Labels.FIELD_MANAGER,
        finalizerName = ResourcePoolReconciler.FINALIZER)
public final class ResourcePoolReconciler implements Reconciler<ResourcePool>, Cleaner<ResourcePool> {

    public static final String FINALIZER = "respool.io/pool-protection";

    private final Planner planner;
    private final ReconcileTriggers triggers;
    private final EventRecorder events;

    public ResourcePoolReconciler(Planner planner, ReconcileTriggers triggers, EventRecorder events) {
        this.planner = planner;
        this.triggers = triggers;
        this.events = events;
    }

    @Override
    public List<EventSource<?, ResourcePool>> prepareEventSources(EventSourceContext<ResourcePool> context) {
        return List.of(triggers.pools());
    }

    @Override
    public UpdateControl<ResourcePool> reconcile(ResourcePool pool, Context<ResourcePool> context) {
        PoolView view = current(planner.latest(), pool);
        if (view != null) {
            writeStatus(pool, view, context);
        }
        return UpdateControl.noUpdate();
    }

    @Override
    public DeleteControl cleanup(ResourcePool pool, Context<ResourcePool> context) {
        PoolView view = current(planner.latest(), pool);
        if (view == null || !view.deleting()) {
            // The plan predates the deletion: the next one triggers this again.
            return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofSeconds(30));
        }
        if (view.empty()) {
            return DeleteControl.defaultDelete();
        }
        writeStatus(pool, view, context);
        // The planner triggers this again when a member goes; the delay is only a safety net.
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(Duration.ofMinutes(5));
    }

    private void writeStatus(ResourcePool pool, PoolView view, Context<ResourcePool> context) {
        ResourcePoolStatus before = pool.getStatus();
        ResourcePoolStatus desired = PoolStatusBuilder.build(before, view);
        if (Statuses.same(desired, before)) {
            return;
        }
        ResourcePool fresh = new ResourcePool();
        fresh.setMetadata(new ObjectMetaBuilder().withName(pool.getMetadata().getName()).build());
        fresh.setStatus(desired);
        pool = PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(pool, fresh, context);
        emit(pool, before, desired);
    }

    private void emit(ResourcePool pool, ResourcePoolStatus before, ResourcePoolStatus after) {
        List<io.fabric8.kubernetes.api.model.Condition> was = before == null ? null : before.getConditions();
        for (String type : List.of(PoolStatusBuilder.RESERVATION_GRANTED, PoolStatusBuilder.DELETION_BLOCKED)) {
            var now = Conditions.find(after.getConditions(), type);
            var then = Conditions.find(was, type);
            if (now == null || then != null && Objects.equals(then.getStatus(), now.getStatus())
                    && Objects.equals(then.getMessage(), now.getMessage())) {
                continue;
            }
            if (type.equals(PoolStatusBuilder.RESERVATION_GRANTED) && "False".equals(now.getStatus())) {
                events.warning(pool, now.getReason(), now.getMessage());
            } else if (type.equals(PoolStatusBuilder.DELETION_BLOCKED) && "True".equals(now.getStatus())) {
                events.normal(pool, PoolStatusBuilder.DELETION_BLOCKED, now.getMessage());
            }
        }
    }

    private static PoolView current(PlanResult plan, ResourcePool pool) {
        PoolView view = plan == null ? null : plan.pool(pool.getMetadata().getName());
        long generation = pool.getMetadata().getGeneration() == null ? 0 : pool.getMetadata().getGeneration();
        if (view == null || !Objects.equals(view.uid(), pool.getMetadata().getUid()) || view.generation() < generation) {
            return null;
        }
        return view;
    }
}
