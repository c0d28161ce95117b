package io.respool.operator.status;

import io.fabric8.kubernetes.api.model.Quantity;
import io.respool.api.PoolResourceStatus;
import io.respool.api.WorkloadResourceStatus;
import io.respool.engine.Dimension;
import io.respool.engine.PoolDimensionStatus;
import io.respool.engine.PoolStatus;
import io.respool.engine.Quantities;
import io.respool.engine.WorkloadDimensionStatus;
import io.respool.engine.WorkloadStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/** The engine's figures as status quantities, per dimension, in the units users wrote them in. */
public final class Figures {

    private Figures() {
    }

    /** A base-unit value as a quantity ("250m", "8Gi", "100M"); null for unlimited. */
    public static Quantity quantity(Dimension d, long value) {
        return value == Quantities.UNLIMITED ? null : new Quantity(Quantities.format(d, value));
    }

    public static Map<String, WorkloadResourceStatus> workload(WorkloadStatus s) {
        Map<String, WorkloadResourceStatus> result = new LinkedHashMap<>();
        for (Dimension d : Dimension.values()) {
            WorkloadDimensionStatus v = s.dimension(d);
            if (v == null) {
                continue;
            }
            WorkloadResourceStatus r = new WorkloadResourceStatus();
            r.setEffectiveLimit(quantity(d, v.effectiveLimit()));
            r.setShares(v.shares());
            r.setDemand(quantity(d, v.demand()));
            r.setEntitlement(quantity(d, v.entitlement()));
            r.setCap(quantity(d, v.cap()));
            result.put(d.jsonName(), r);
        }
        return result;
    }

    public static Map<String, PoolResourceStatus> pool(PoolStatus s) {
        Map<String, PoolResourceStatus> result = new LinkedHashMap<>();
        for (Dimension d : Dimension.values()) {
            PoolDimensionStatus v = s.dimension(d);
            if (v == null) {
                continue;
            }
            PoolResourceStatus r = new PoolResourceStatus();
            r.setReservation(quantity(d, v.reservation()));
            r.setEffectiveLimit(quantity(d, v.effectiveLimit()));
            r.setEffectiveShares(v.effectiveShares());
            r.setUsed(quantity(d, v.used()));
            r.setAvailable(quantity(d, v.available()));
            r.setEntitlement(quantity(d, v.entitlement()));
            r.setHealth(v.health().display());
            result.put(d.jsonName(), r);
        }
        return result;
    }
}
