package io.respool.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.respool.api.translate.ClusterObjects;
import io.respool.api.translate.ObjectRef;
import java.util.List;
import java.util.Map;

/**
 * The objects read from the manifests, in document order, with where each came from.
 *
 * @param resources  ResourcePools, VirtualMachines and Containers in document order (admission order)
 * @param nodes      Nodes
 * @param namespaces Namespaces
 * @param sources    where each object was found
 * @param warnings   documents skipped, with the reason
 */
record Manifests(List<HasMetadata> resources, List<Node> nodes, List<Namespace> namespaces,
                 Map<ObjectRef, Source> sources, List<String> warnings) {

    ClusterObjects clusterObjects() {
        return ClusterObjects.of(resources, nodes, namespaces);
    }

    Source sourceOf(ObjectRef ref) {
        return sources.get(ref);
    }
}
