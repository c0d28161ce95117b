package io.respool.engine;

import java.util.EnumMap;
import java.util.Map;

/**
 * A resource pool as the user declared it. {@code parent} null means a child of the implicit root
 * pool. Dimensions absent from {@code allocations} take {@link Allocation#DEFAULT}.
 *
 * @param name             unique pool name
 * @param parent           parent pool name, or null for the root
 * @param allocations      per-dimension reservation, limit, shares, expandable reservation
 * @param scalableShares   child pools' shares scale with the workloads below them
 * @param nodeSelector     node labels the pool's workloads must run on (also inherited)
 * @param namespaceSelector namespaces allowed to use the pool; null or empty: every namespace
 * @param order            admission order of the pool's own reservation (creation time, document order)
 */
public record PoolSpec(String name, String parent, Map<Dimension, Allocation> allocations,
                       boolean scalableShares, Map<String, String> nodeSelector,
                       LabelSelector namespaceSelector, long order) {

    public PoolSpec {
        allocations = allocations == null || allocations.isEmpty()
                ? new EnumMap<>(Dimension.class) : new EnumMap<>(allocations);
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
        namespaceSelector = namespaceSelector == null ? LabelSelector.EVERYTHING : namespaceSelector;
    }

    public Allocation allocation(Dimension d) {
        return allocations.getOrDefault(d, Allocation.DEFAULT);
    }
}
