package io.respool.engine;

import java.util.EnumMap;
import java.util.Map;

/**
 * A node of the cluster.
 *
 * @param name          node name
 * @param labels        node labels (KubeVirt nodes carry {@code kubevirt.io/schedulable=true})
 * @param ready         Ready condition is True
 * @param schedulable   not cordoned
 * @param allocatable   allocatable capacity per dimension; a dimension absent here is not bounded
 *                      by this node
 * @param otherRequests what pods respool does not manage already request on this node
 */
public record NodeSpec(String name, Map<String, String> labels, boolean ready, boolean schedulable,
                       Map<Dimension, Long> allocatable, Map<Dimension, Long> otherRequests) {

    public static final String KUBEVIRT_LABEL = "kubevirt.io/schedulable";

    public NodeSpec {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        allocatable = allocatable == null || allocatable.isEmpty()
                ? new EnumMap<>(Dimension.class) : new EnumMap<>(allocatable);
        otherRequests = otherRequests == null || otherRequests.isEmpty()
                ? new EnumMap<>(Dimension.class) : new EnumMap<>(otherRequests);
    }

    public boolean eligible() {
        return ready && schedulable;
    }

    public boolean kubevirt() {
        return "true".equals(labels.get(KUBEVIRT_LABEL));
    }

    /** Allocatable minus other pods' requests, or {@link Quantities#UNLIMITED} if not declared. */
    public long free(Dimension d) {
        Long a = allocatable.get(d);
        if (a == null) {
            return Quantities.UNLIMITED;
        }
        return Math.max(0, a - otherRequests.getOrDefault(d, 0L));
    }
}
