package io.respool.engine;

import java.util.List;
import java.util.Map;

/**
 * Everything the engine needs for one computation: the pools, the workloads (any order: the
 * engine orders admission by {@link WorkloadSpec#order()}), the nodes and the labels of each
 * namespace (for pools' namespace selectors; a namespace absent here has only the
 * {@code kubernetes.io/metadata.name} label).
 */
public record ClusterSpec(List<PoolSpec> pools, List<WorkloadSpec> workloads, List<NodeSpec> nodes,
                          Map<String, Map<String, String>> namespaceLabels) {

    public ClusterSpec {
        pools = List.copyOf(pools);
        workloads = List.copyOf(workloads);
        nodes = List.copyOf(nodes);
        namespaceLabels = namespaceLabels == null ? Map.of() : Map.copyOf(namespaceLabels);
    }
}
