package io.respool.engine;

import java.util.EnumMap;
import java.util.Map;

/**
 * The engine's verdict on one workload.
 *
 * @param admitted whether it holds its reservation
 * @param reason   machine-readable reason: Admitted, InsufficientReservation, NoNodeFits,
 *                 PoolNotFound, PoolInvalid, NamespaceNotAllowed, Invalid, NotRunning
 * @param message  human-readable: names the pool, the dimension, what was asked and available
 *                 (derived for admitted workloads, see {@link #message()})
 * @param node     where it runs, or null
 */
public record WorkloadStatus(WorkloadKind kind, String namespace, String name, String pool,
                             boolean admitted, String reason, String message, String node,
                             Map<Dimension, WorkloadDimensionStatus> dimensions) {

    public WorkloadDimensionStatus dimension(Dimension d) {
        return dimensions.get(d);
    }

    public String key() {
        return kind.kindName() + "/" + namespace + "/" + name;
    }

    /** Admitted and placed: it has a pod, a cgroup and targets on its node. */
    public boolean active() {
        return admitted && node != null;
    }

    /** The message; for an admitted, placed workload it is made on demand (the common case). */
    @Override
    public String message() {
        if (message != null) {
            return message;
        }
        return kind.kindName() + " \"" + (namespace == null || namespace.isEmpty() ? "" : namespace + "/") + name
                + "\" is admitted into pool \"" + (pool == null || pool.isEmpty() ? "root" : pool)
                + "\" and placed on node \"" + node + "\"";
    }

    /**
     * The cgroup values its pod should get, rendered on demand from the node targets, reservations
     * and caps (empty when it is not active), exactly as the node agent renders them.
     */
    public CgroupValues cgroup() {
        if (!active()) {
            return CgroupValues.NONE;
        }
        Map<Dimension, CgroupRenderer.Target> targets = new EnumMap<>(Dimension.class);
        dimensions.forEach((d, s) -> targets.put(d, s.target()));
        return CgroupRenderer.render(targets);
    }
}
