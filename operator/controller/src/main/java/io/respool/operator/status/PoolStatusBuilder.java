package io.respool.operator.status;

import io.respool.api.ResourcePoolStatus;
import io.respool.engine.Condition;
import io.respool.engine.Health;
import io.respool.operator.planning.PlanResult.PoolView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** A pool's status: the engine's figures and conditions, plus DeletionBlocked while it is held. */
public final class PoolStatusBuilder {

    public static final String READY = "Ready";
    public static final String RESERVATION_GRANTED = "ReservationGranted";
    public static final String DELETION_BLOCKED = "DeletionBlocked";

    private PoolStatusBuilder() {
    }

    public static ResourcePoolStatus build(ResourcePoolStatus previous, PoolView view) {
        ResourcePoolStatus status = new ResourcePoolStatus();
        status.setObservedGeneration(view.generation());
        Conditions conditions = new Conditions(previous == null ? null : previous.getConditions(), view.generation());
        if (view.status() == null) {
            conditions.add(READY, false, "InvalidSpec", "ResourcePool \"" + view.name() + "\": "
                    + String.join("; ", view.errors()));
            status.setHealth(Health.INVALID.display());
            status.setResources(new LinkedHashMap<>());
        } else {
            for (Condition c : view.status().conditions()) {
                conditions.add(c.type(), c.status(), c.reason(), c.message());
            }
            status.setHealth(view.status().health().display());
            status.setResources(Figures.pool(view.status()));
        }
        if (view.deleting() && !view.empty()) {
            conditions.add(DELETION_BLOCKED, true, "PoolNotEmpty", blockedMessage(view));
        }
        status.setConditions(conditions.list());
        return status;
    }

    /** e.g. {@code pool "prod" is being deleted but still holds 1 child pool ("web") and 2 workloads (...)}. */
    public static String blockedMessage(PoolView view) {
        List<String> parts = new ArrayList<>();
        if (!view.childPools().isEmpty()) {
            parts.add(view.childPools().size() + (view.childPools().size() == 1 ? " child pool (" : " child pools (")
                    + String.join(", ", view.childPools().stream().map(p -> "\"" + p + "\"").toList()) + ")");
        }
        if (!view.workloads().isEmpty()) {
            parts.add(view.workloads().size() + (view.workloads().size() == 1 ? " workload (" : " workloads (")
                    + String.join(", ", view.workloads()) + ")");
        }
        return "pool \"" + view.name() + "\" is being deleted but still holds " + String.join(" and ", parts)
                + ": delete them or move them to another pool, and the deletion completes";
    }
}
