package io.respool.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * The Argo CD health check in docs/gitops.md, run as Argo CD runs it (a Lua chunk with the object
 * in the global {@code obj}, returning {@code {status, message}}) against statuses shaped like the
 * ones the operator and the agent write. The script is taken from the document's argocd-cm
 * ConfigMap, so the document and the test cannot drift apart. (Argo CD embeds gopher-lua, Lua
 * 5.1; this uses LuaJ, Lua 5.2: the script keeps to what both run.)
 */
class ArgoCdHealthTest {

    private static final String TIME = "2026-01-01T00:00:00Z";
    private static String script;

    @BeforeAll
    static void readTheScriptFromTheDocs() throws IOException {
        String doc = Files.readString(Repository.ROOT.resolve("docs/gitops.md"));
        Matcher m = Pattern.compile("```yaml\\n(apiVersion: v1\\nkind: ConfigMap\\n.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(m.find()).as("the argocd-cm ConfigMap in docs/gitops.md").isTrue();
        // SnakeYAML resolves the anchor and aliases as kubectl's YAML parser does.
        Map<String, Object> configMap = new org.yaml.snakeyaml.Yaml().load(m.group(1));
        JsonNode data = Manifests.YAML.valueToTree(configMap).path("data");
        script = data.path("resource.customizations.health.respool.io_ResourcePool").asText();
        assertThat(script).contains("observedGeneration");
        for (String kind : new String[] {"VirtualMachine", "Container", "NodeResourcePlan"}) {
            assertThat(data.path("resource.customizations.health.respool.io_" + kind).asText())
                    .as("the health check of %s", kind).isEqualTo(script);
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a new pool, no status yet", obj("ResourcePool", 1, null),
                        "Progressing", "Waiting for the respool operator to report a status"),
                Arguments.of("a pool edited, the operator behind", obj("ResourcePool", 3, """
                        {"observedGeneration": 2, "conditions": [%s]}""".formatted(
                                cond("Ready", "True", "Valid", "pool \"dept\" is valid"))),
                        "Progressing", "The respool operator has not observed generation 3 yet"),
                Arguments.of("a valid pool", obj("ResourcePool", 2, """
                        {"observedGeneration": 2, "health": "Valid", "conditions": [%s, %s]}""".formatted(
                                cond("Ready", "True", "Valid", "pool \"dept\" is valid"),
                                cond("ReservationGranted", "True", "Granted", "reserved"))),
                        "Healthy", "pool \"dept\" is valid"),
                Arguments.of("an overcommitted pool", obj("ResourcePool", 1, """
                        {"observedGeneration": 1, "health": "Overcommitted", "conditions": [%s]}""".formatted(
                                cond("Ready", "False", "Overcommitted", "pool \"dept\" is Overcommitted"))),
                        "Degraded", "pool \"dept\" is Overcommitted"),
                Arguments.of("a pool whose own reservation does not fit", obj("ResourcePool", 1, """
                        {"observedGeneration": 1, "conditions": [%s, %s]}""".formatted(
                                cond("Ready", "True", "Valid", "pool \"team\" is valid"),
                                cond("ReservationGranted", "False", "InsufficientReservation",
                                        "pool \"team\" cannot reserve cpu 4: 2 available"))),
                        "Degraded", "pool \"team\" cannot reserve cpu 4: 2 available"),
                Arguments.of("a pool held by its members", obj("ResourcePool", 1, """
                        {"observedGeneration": 1, "conditions": [%s, %s]}""".formatted(
                                cond("Ready", "True", "Valid", "pool \"team\" is valid"),
                                cond("DeletionBlocked", "True", "PoolNotEmpty",
                                        "pool \"team\" is being deleted but still holds 1 workload (t/web)"))),
                        "Progressing", "pool \"team\" is being deleted but still holds 1 workload (t/web)"),
                Arguments.of("a running Container", obj("Container", 1, """
                        {"observedGeneration": 1, "phase": "Running", "node": "n1", "conditions": [%s, %s]}""".formatted(
                                cond("Ready", "True", "PodReady", "Pod \"web\" is running on node \"n1\""),
                                cond("Admitted", "True", "Admitted", "admitted"))),
                        "Healthy", "Pod \"web\" is running on node \"n1\""),
                Arguments.of("a Container waiting for its Pod", obj("Container", 1, """
                        {"observedGeneration": 1, "phase": "Pending", "conditions": [%s]}""".formatted(
                                cond("Ready", "False", "PodPending", "Pod \"web\" is Pending"))),
                        "Progressing", "Pod \"web\" is Pending"),
                Arguments.of("a refused VM", obj("VirtualMachine", 1, """
                        {"observedGeneration": 1, "phase": "Refused", "conditions": [%s]}""".formatted(
                                cond("Ready", "False", "InsufficientReservation",
                                        "pool \"team\" cannot reserve cpu 500m for VirtualMachine \"t/db\": 0 available"))),
                        "Degraded", "pool \"team\" cannot reserve cpu 500m for VirtualMachine \"t/db\": 0 available"),
                Arguments.of("a VM without KubeVirt", obj("VirtualMachine", 1, """
                        {"observedGeneration": 1, "phase": "Pending", "conditions": [%s]}""".formatted(
                                cond("Ready", "False", "KubeVirtNotInstalled", "KubeVirt is not installed"))),
                        "Degraded", "KubeVirt is not installed"),
                Arguments.of("a halted VM", obj("VirtualMachine", 2, """
                        {"observedGeneration": 2, "phase": "Stopped", "conditions": [%s]}""".formatted(
                                cond("Ready", "False", "NotRunning", "runStrategy is Halted"))),
                        "Suspended", "runStrategy is Halted"),
                Arguments.of("a failed Container", obj("Container", 1, """
                        {"observedGeneration": 1, "phase": "Failed", "conditions": [%s]}""".formatted(
                                cond("Ready", "False", "PodFailed", "Pod \"job\" failed"))),
                        "Degraded", "Pod \"job\" failed"),
                Arguments.of("a node plan applied, network not enforced", obj("NodeResourcePlan", 4, """
                        {"observedGeneration": 4, "cgroupVersion": "v2", "conditions": [%s, %s]}""".formatted(
                                cond("Ready", "True", "Applied", "applied"),
                                cond("Enforced", "False", "NotEnforced", "networkEgress of Container t/web"))),
                        "Healthy", "Applied, not everything enforced: networkEgress of Container t/web"),
                Arguments.of("a node without usable cgroups", obj("NodeResourcePlan", 1, """
                        {"observedGeneration": 1, "conditions": [%s]}""".formatted(
                                cond("Ready", "False", "CgroupUnavailable", "no cgroup hierarchy at /host/cgroup"))),
                        "Degraded", "no cgroup hierarchy at /host/cgroup"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void argoCdSeesTheHealthOfRespoolObjects(String what, JsonNode object, String status, String message) {
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", lua(object));
        LuaValue result = globals.load(script, "health.lua").call();
        assertThat(result.get("status").tojstring()).isEqualTo(status);
        assertThat(result.get("message").tojstring()).isEqualTo(message);
    }

    @Test
    void theScriptUsesNothingArgoCdsLuaLacks() {
        // gopher-lua is Lua 5.1: no goto, no integer division, no bit operators, no utf8 library.
        assertThat(script).doesNotContain("goto ", "//", "utf8.", " & ", " | ", "<<", ">>");
    }

    // ---- helpers

    private static JsonNode obj(String kind, long generation, String status) {
        String json = """
                {"apiVersion": "respool.io/v1alpha1", "kind": "%s",
                 "metadata": {"name": "x", "generation": %d}%s}""".formatted(kind, generation,
                status == null ? "" : ", \"status\": " + status);
        try {
            return Manifests.YAML.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static String cond(String type, String status, String reason, String message) {
        return """
                {"type": "%s", "status": "%s", "reason": "%s", "message": "%s", "lastTransitionTime": "%s"}"""
                .formatted(type, status, reason, message.replace("\"", "\\\""), TIME);
    }

    /** JSON as Argo CD hands it to Lua: objects as tables, arrays as 1-based tables. */
    private static LuaValue lua(JsonNode node) {
        if (node.isObject()) {
            LuaTable t = new LuaTable();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                t.set(e.getKey(), lua(e.getValue()));
            }
            return t;
        }
        if (node.isArray()) {
            LuaTable t = new LuaTable();
            for (int i = 0; i < node.size(); i++) {
                t.set(i + 1, lua(node.get(i)));
            }
            return t;
        }
        if (node.isIntegralNumber()) {
            return org.luaj.vm2.LuaInteger.valueOf(node.asLong());
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.asDouble());
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.asBoolean());
        }
        return node.isNull() ? LuaValue.NIL : LuaValue.valueOf(node.asText());
    }
}
