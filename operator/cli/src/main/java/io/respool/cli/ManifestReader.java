package io.respool.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.respool.api.Container;
import io.respool.api.ResourcePool;
import io.respool.api.VirtualMachine;
import io.respool.api.translate.ClusterTranslator;
import io.respool.api.translate.ObjectRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads multi-document YAML manifests: respool's kinds, core v1 Nodes and Namespaces. A directory
 * means its *.yaml and *.yml files, sorted by name (not recursive); "-" means standard input.
 * A list ({@code kind: List} as {@code kubectl get -o yaml} prints it, or an API list such as
 * {@code NodeList}) is read item by item. Unknown kinds are skipped with a warning; anything
 * unreadable is a {@link ManifestException} naming the file, the document (and list item) and the field.
 */
final class ManifestReader {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final InputStream stdin;
    private final List<HasMetadata> resources = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<Namespace> namespaces = new ArrayList<>();
    private final Map<ObjectRef, Source> sources = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();

    ManifestReader(InputStream stdin) {
        this.stdin = stdin;
    }

    Manifests read(List<String> paths) throws ManifestException {
        for (String path : paths) {
            if (path.equals("-")) {
                readDocuments("<stdin>", new String(readStdin(), StandardCharsets.UTF_8));
                continue;
            }
            for (Path file : expand(Path.of(path))) {
                String text;
                try {
                    text = Files.readString(file);
                } catch (IOException e) {
                    throw new ManifestException(file + ": cannot read: " + e.getMessage());
                }
                readDocuments(file.toString(), text);
            }
        }
        return new Manifests(resources, nodes, namespaces, sources, warnings);
    }

    private byte[] readStdin() throws ManifestException {
        try {
            return stdin.readAllBytes();
        } catch (IOException e) {
            throw new ManifestException("<stdin>: cannot read: " + e.getMessage());
        }
    }

    private static List<Path> expand(Path path) throws ManifestException {
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(path)) {
                files = s.filter(p -> Files.isRegularFile(p)
                                && (p.getFileName().toString().endsWith(".yaml")
                                || p.getFileName().toString().endsWith(".yml")))
                        .sorted()
                        .toList();
            } catch (IOException e) {
                throw new ManifestException(path + ": cannot list: " + e.getMessage());
            }
            if (files.isEmpty()) {
                throw new ManifestException(path + ": no *.yaml or *.yml files in this directory");
            }
            return files;
        }
        if (!Files.exists(path)) {
            throw new ManifestException(path + ": no such file or directory");
        }
        return List.of(path);
    }

    private void readDocuments(String file, String text) throws ManifestException {
        int document = 0;
        try (Reader reader = new StringReader(text);
             MappingIterator<JsonNode> docs = YAML.readValues(YAML.createParser(reader), JsonNode.class)) {
            while (true) {
                document++;
                if (!docs.hasNextValue()) {
                    break;
                }
                JsonNode doc = docs.nextValue();
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                readObject(new Source(file, document), doc);
            }
        } catch (JsonProcessingException e) {
            throw new ManifestException(new Source(file, document), malformed(e));
        } catch (IOException e) {
            throw new ManifestException(file + ": cannot read: " + e.getMessage());
        }
    }

    private static String malformed(JsonProcessingException e) {
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException y) {
            var mark = y.getProblemMark();
            String where = mark == null ? "" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
            return where + "malformed YAML: " + (y.getContext() == null ? "" : y.getContext() + ", ") + y.getProblem();
        }
        var loc = e.getLocation();
        String where = loc == null ? "" : "line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ": ";
        return where + "malformed YAML: " + e.getOriginalMessage();
    }

    private void readObject(Source source, JsonNode doc) throws ManifestException {
        if (!(doc instanceof ObjectNode object)) {
            throw new ManifestException(source, "not a Kubernetes object: expected a mapping with apiVersion,"
                    + " kind and metadata, found " + doc.getNodeType().name().toLowerCase());
        }
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        if (kind.isEmpty() || apiVersion.isEmpty()) {
            throw new ManifestException(source, (kind.isEmpty() ? "kind" : "apiVersion")
                    + ": is missing: every Kubernetes object needs apiVersion and kind");
        }
        if (kind.endsWith("List") && object.path("items").isArray() && source.item() < 0) {
            // kubectl get -o yaml prints a v1 List (or a FooList) of the objects: read each one.
            // The API's own lists (ResourcePoolList, NodeList) leave apiVersion and kind out of
            // their items: those come from the list.
            JsonNode items = object.path("items");
            String itemKind = kind.substring(0, kind.length() - "List".length());
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = items.get(i);
                if (item instanceof ObjectNode o && !itemKind.isEmpty()) {
                    if (!o.hasNonNull("apiVersion")) {
                        o.put("apiVersion", apiVersion);
                    }
                    if (!o.hasNonNull("kind")) {
                        o.put("kind", itemKind);
                    }
                }
                readObject(source.item(i), item);
            }
            return;
        }
        Class<? extends HasMetadata> type = typeOf(apiVersion, kind);
        if (type == null) {
            warnings.add(source + ": skipped " + apiVersion + " " + kind
                    + ": plan reads respool.io/v1alpha1 ResourcePool, VirtualMachine and Container, and v1 Node and Namespace");
            return;
        }
        String name = object.path("metadata").path("name").asText("");
        if (name.isEmpty()) {
            throw new ManifestException(source, kind + ": metadata.name: is missing: every object needs a name");
        }
        HasMetadata value;
        try {
            value = YAML.treeToValue(object, type);
        } catch (JsonMappingException e) {
            throw new ManifestException(source, kind + " \"" + name + "\": " + fieldOf(e) + ": " + describe(e));
        } catch (JsonProcessingException e) {
            throw new ManifestException(source, kind + " \"" + name + "\": " + e.getOriginalMessage());
        }
        if ((value instanceof VirtualMachine || value instanceof Container)
                && (value.getMetadata().getNamespace() == null || value.getMetadata().getNamespace().isEmpty())) {
            value.getMetadata().setNamespace(ClusterTranslator.DEFAULT_NAMESPACE);
        }
        ObjectRef ref = ObjectRef.of(value);
        Source earlier = sources.putIfAbsent(ref, source);
        if (earlier != null) {
            throw new ManifestException(source, ref + " is defined twice: first at " + earlier);
        }
        switch (value) {
            case Node n -> nodes.add(n);
            case Namespace ns -> namespaces.add(ns);
            default -> resources.add(value);
        }
    }

    private static Class<? extends HasMetadata> typeOf(String apiVersion, String kind) {
        if (apiVersion.equals(ResourcePool.API_VERSION)) {
            return switch (kind) {
                case "ResourcePool" -> ResourcePool.class;
                case "VirtualMachine" -> VirtualMachine.class;
                case "Container" -> Container.class;
                default -> null;
            };
        }
        if (apiVersion.equals("v1")) {
            return switch (kind) {
                case "Node" -> Node.class;
                case "Namespace" -> Namespace.class;
                default -> null;
            };
        }
        return null;
    }

    /** The field path of a mapping error, e.g. {@code spec.cpu.vcpus} or {@code spec.disks[0].name}. */
    private static String fieldOf(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "(object)" : sb.toString();
    }

    private static String describe(JsonMappingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return "unknown field \"" + u.getPropertyName() + "\""
                    + (known.isEmpty() ? "" : ": use one of " + known);
        }
        if (e instanceof InvalidFormatException f) {
            Class<?> target = f.getTargetType();
            if (target != null && target.isEnum()) {
                String accepted = Arrays.stream(target.getEnumConstants()).map(c -> enumName((Enum<?>) c))
                        .collect(Collectors.joining(", "));
                return "\"" + f.getValue() + "\" is not accepted: use one of " + accepted;
            }
            return "\"" + f.getValue() + "\" is not " + expected(target);
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return "has the wrong type: expected " + expected(m.getTargetType());
        }
        String message = e.getOriginalMessage();
        return message == null ? "cannot be read" : message.lines().findFirst().orElse(message);
    }

    private static String enumName(Enum<?> constant) {
        try {
            var property = constant.getDeclaringClass().getField(constant.name())
                    .getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
            return property == null ? constant.name() : property.value();
        } catch (NoSuchFieldException ex) {
            return constant.name();
        }
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "valid here";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.getSimpleName().equals("Quantity")) {
            return "a quantity such as \"500m\", \"2\" or \"4Gi\"";
        }
        if (type.getSimpleName().equals("IntOrString")) {
            return "an integer or a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a mapping of keys to strings";
        }
        return "a mapping (" + type.getSimpleName() + ")";
    }
}
