package io.respool.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The committed CRDs, without an API server: every field carries a description (what
 * {@code kubectl explain} shows), and every kind has the respool names, category and status
 * subresource. The build's stale check guarantees these files are what the classes generate.
 */
class CrdDescriptionsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void everyFieldHasADescription() throws IOException {
        for (Path file : crdFiles()) {
            JsonNode schema = YAML.readTree(file.toFile()).at("/spec/versions/0/schema/openAPIV3Schema");
            List<String> undescribed = new ArrayList<>();
            walk(schema, "", undescribed);
            assertThat(undescribed).as("fields without a description in %s", file.getFileName()).isEmpty();
        }
    }

    @Test
    void fourKindsWithRespoolNamesCategoryAndStatusSubresource() throws IOException {
        Map<String, String> shortNames = Map.of("ResourcePool", "rp", "VirtualMachine", "rvm", "Container", "rct",
                "NodeResourcePlan", "nrp");
        Map<String, String> scopes = Map.of("ResourcePool", "Cluster", "VirtualMachine", "Namespaced",
                "Container", "Namespaced", "NodeResourcePlan", "Cluster");
        List<String> kinds = new ArrayList<>();
        for (Path file : crdFiles()) {
            JsonNode crd = YAML.readTree(file.toFile());
            String kind = crd.at("/spec/names/kind").asText();
            kinds.add(kind);
            assertThat(file.getFileName().toString()).isEqualTo(crd.at("/metadata/name").asText() + "-v1.yml");
            assertThat(crd.at("/spec/group").asText()).isEqualTo(ResourcePool.GROUP);
            assertThat(crd.at("/spec/scope").asText()).isEqualTo(scopes.get(kind));
            assertThat(crd.at("/spec/names/shortNames/0").asText()).isEqualTo(shortNames.get(kind));
            assertThat(crd.at("/spec/names/categories/0").asText()).isEqualTo("respool");
            assertThat(crd.at("/spec/versions/0/name").asText()).isEqualTo(ResourcePool.VERSION);
            assertThat(crd.at("/spec/versions/0/subresources/status").isObject()).as("%s status subresource", kind)
                    .isTrue();
            assertThat(crd.at("/spec/versions/0/additionalPrinterColumns").size()).as("%s printer columns", kind)
                    .isGreaterThan(2);
        }
        assertThat(kinds).containsExactlyInAnyOrderElementsOf(shortNames.keySet());
    }

    private static void walk(JsonNode schema, String path, List<String> undescribed) {
        schema.path("properties").properties().forEach(property -> {
            String child = path + "." + property.getKey();
            if (!property.getValue().hasNonNull("description")) {
                undescribed.add(child);
            }
            walk(property.getValue(), child, undescribed);
        });
        if (schema.has("items")) {
            walk(schema.get("items"), path + "[]", undescribed);
        }
        if (schema.path("additionalProperties").isObject()) {
            walk(schema.get("additionalProperties"), path + "{}", undescribed);
        }
    }

    private static List<Path> crdFiles() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("crds"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a crds/ directory above the working directory").isNotNull();
        try (Stream<Path> files = Files.list(dir.resolve("crds"))) {
            List<Path> crds = files.filter(f -> f.toString().endsWith("-v1.yml")).sorted().toList();
            assertThat(crds).hasSize(4);
            return crds;
        }
    }
}
