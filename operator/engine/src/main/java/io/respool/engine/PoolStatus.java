package io.respool.engine;

import java.util.List;
import java.util.Map;

/**
 * The engine's verdict on one pool. Conditions: {@code Ready} (spec valid and every dimension
 * Valid) and {@code ReservationGranted} (its own reservation fits in its parent).
 */
public record PoolStatus(String name, String parent, Health health, List<Condition> conditions,
                         Map<Dimension, PoolDimensionStatus> dimensions) {

    public PoolDimensionStatus dimension(Dimension d) {
        return dimensions.get(d);
    }
}
