package io.respool.engine;

import java.util.Map;

/**
 * The engine's verdict on one workload.
 *
 * @param admitted whether it holds its reservation
 * @param reason   machine-readable reason: Admitted, InsufficientReservation, NoNodeFits,
 *                 PoolNotFound, PoolInvalid, NamespaceNotAllowed, Invalid, NotRunning
 * @param message  human-readable: names the pool, the dimension, what was asked and available
 * @param node     where it runs, or null
 * @param cgroup   the cgroup values its pod should get (empty when not placed)
 */
public record WorkloadStatus(WorkloadKind kind, String namespace, String name, String pool,
                             boolean admitted, String reason, String message, String node,
                             Map<Dimension, WorkloadDimensionStatus> dimensions, CgroupValues cgroup) {

    public WorkloadDimensionStatus dimension(Dimension d) {
        return dimensions.get(d);
    }

    public String key() {
        return kind.kindName() + "/" + namespace + "/" + name;
    }
}
