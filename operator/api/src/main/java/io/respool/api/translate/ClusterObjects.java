package io.respool.api.translate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.respool.engine.Dimension;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Kubernetes objects one engine run looks at.
 *
 * @param resources     ResourcePools, VirtualMachines and Containers in admission order: the
 *                      position in this list becomes each object's {@code order} (document order
 *                      in {@code plan}; sort with {@link #CREATION_ORDER} in the operator)
 * @param nodes         the cluster's nodes
 * @param namespaces    namespaces, for their labels (pools' namespace selectors)
 * @param otherRequests per node name, what pods that respool does not manage already request
 */
public record ClusterObjects(List<? extends HasMetadata> resources, List<Node> nodes,
                             List<Namespace> namespaces,
                             Map<String, Map<Dimension, Long>> otherRequests) {

    /** Creation time, then name, then namespace: admission order in a live cluster. */
    public static final Comparator<HasMetadata> CREATION_ORDER = Comparator
            .comparing((HasMetadata o) -> Objects.requireNonNullElse(o.getMetadata().getCreationTimestamp(), ""))
            .thenComparing(o -> Objects.requireNonNullElse(o.getMetadata().getName(), ""))
            .thenComparing(o -> Objects.requireNonNullElse(o.getMetadata().getNamespace(), ""));

    public ClusterObjects {
        resources = List.copyOf(resources);
        nodes = List.copyOf(nodes);
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        otherRequests = otherRequests == null ? Map.of() : Map.copyOf(otherRequests);
    }

    public static ClusterObjects of(List<? extends HasMetadata> resources, List<Node> nodes,
                                    List<Namespace> namespaces) {
        return new ClusterObjects(resources, nodes, namespaces, Map.of());
    }
}
