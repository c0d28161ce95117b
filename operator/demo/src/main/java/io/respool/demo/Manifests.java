package io.respool.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.respool.api.Container;
import io.respool.api.ResourcePool;
import io.respool.api.VirtualMachine;
import io.respool.api.translate.ClusterObjects;
import io.respool.api.translate.ClusterTranslator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Objects read from YAML files (a directory: its *.yaml and *.yml files by name), in document
 * order, as {@code respool plan -f} reads them: respool's kinds, Nodes and Namespaces typed, any
 * other kind kept as a generic object (applied as it is).
 */
public record Manifests(List<HasMetadata> objects) {

    public static final String FIELD_MANAGER = "respool-demo";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    public Manifests {
        objects = List.copyOf(objects);
    }

    public static Manifests read(List<Path> paths) {
        List<HasMetadata> objects = new ArrayList<>();
        for (Path path : paths) {
            for (Path file : expand(path)) {
                try (MappingIterator<JsonNode> docs = YAML.readValues(YAML.createParser(file.toFile()), JsonNode.class)) {
                    while (docs.hasNextValue()) {
                        JsonNode doc = docs.nextValue();
                        if (doc instanceof ObjectNode o && o.hasNonNull("kind")) {
                            objects.add(typed(o));
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(file + ": " + e.getMessage(), e);
                }
            }
        }
        return new Manifests(objects);
    }

    private static List<Path> expand(Path path) {
        if (!Files.isDirectory(path)) {
            if (!Files.isRegularFile(path)) {
                throw new IllegalArgumentException(path + ": no such file or directory");
            }
            return List.of(path);
        }
        try (Stream<Path> s = Files.list(path)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HasMetadata typed(ObjectNode doc) {
        String apiVersion = doc.path("apiVersion").asText();
        String kind = doc.path("kind").asText();
        Class<? extends HasMetadata> type = switch (apiVersion + "/" + kind) {
            case "v1/Node" -> Node.class;
            case "v1/Namespace" -> Namespace.class;
            case "respool.io/v1alpha1/ResourcePool" -> ResourcePool.class;
            case "respool.io/v1alpha1/VirtualMachine" -> VirtualMachine.class;
            case "respool.io/v1alpha1/Container" -> Container.class;
            default -> GenericKubernetesResource.class;
        };
        HasMetadata o = SERIALIZATION.convertValue(doc, type);
        if ((o instanceof VirtualMachine || o instanceof Container) && o.getMetadata().getNamespace() == null) {
            o.getMetadata().setNamespace(ClusterTranslator.DEFAULT_NAMESPACE);
        }
        return o;
    }

    public List<Node> nodes() {
        return objects.stream().filter(Node.class::isInstance).map(Node.class::cast).toList();
    }

    public List<Namespace> namespaces() {
        return objects.stream().filter(Namespace.class::isInstance).map(Namespace.class::cast).toList();
    }

    /** ResourcePools, VirtualMachines and Containers in document order. */
    public List<HasMetadata> respoolObjects() {
        return objects.stream().filter(o -> o instanceof ResourcePool || o instanceof VirtualMachine
                || o instanceof Container).toList();
    }

    /** What {@code respool plan -f} gives the engine for these files. */
    public ClusterObjects clusterObjects() {
        return ClusterObjects.of(respoolObjects(), nodes(), namespaces());
    }

    /**
     * Applies everything to the cluster: Namespaces (also those the objects only name), then the
     * Nodes (simulated by KWOK, with the manifest's allocatable resources; existing ones are kept),
     * then every other object in document order by server-side apply.
     */
    public void apply(Cluster cluster) {
        KubernetesClient client = cluster.client();
        Set<String> namespaces = new LinkedHashSet<>();
        for (HasMetadata o : objects) {
            if (o instanceof Namespace ns) {
                client.resource(ns).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
                namespaces.add(ns.getMetadata().getName());
            }
        }
        for (HasMetadata o : objects) {
            String ns = o.getMetadata().getNamespace();
            if (ns != null && namespaces.add(ns) && client.namespaces().withName(ns).get() == null) {
                client.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                        .fieldManager(FIELD_MANAGER).serverSideApply();
            }
        }
        List<FakeNode> nodes = nodes().stream()
                .filter(n -> client.nodes().withName(n.getMetadata().getName()).get() == null)
                .map(FakeNode::from).toList();
        if (!nodes.isEmpty()) {
            cluster.createNodes(nodes);
        }
        for (HasMetadata o : objects) {
            if (!(o instanceof Node) && !(o instanceof Namespace)) {
                client.resource(o).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            }
        }
    }
}
