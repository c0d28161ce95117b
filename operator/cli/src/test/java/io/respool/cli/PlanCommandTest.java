package io.respool.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code respool plan}: numbers that must hold, exit statuses, and the messages users see. */
class PlanCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLASSIC = PlanGoldenTest.EXAMPLES.resolve("01-classic-shares.yaml").toString();
    private static final String RESERVATIONS = PlanGoldenTest.EXAMPLES.resolve("04-fixed-vs-expandable.yaml").toString();

    private static final String NODE = """
            apiVersion: v1
            kind: Node
            metadata: {name: n1, labels: {kubevirt.io/schedulable: "true"}}
            status: {allocatable: {cpu: "4", memory: 8Gi}}
            """;

    @TempDir
    Path dir;

    private Path file(String name, String yaml) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, yaml);
        return f;
    }

    private static JsonNode json(PlanRun run) throws IOException {
        assertThat(run.status()).as(run.err()).isZero();
        return JSON.readTree(run.out());
    }

    private static JsonNode workload(JsonNode plan, String name) {
        for (JsonNode w : plan.get("workloads")) {
            if (w.get("name").asText().equals(name)) {
                return w;
            }
        }
        throw new AssertionError("no workload " + name + " in " + plan);
    }

    // ---- numbers

    @Test
    void classicExampleSplitsOneCpu250_250_500() throws IOException {
        JsonNode plan = json(PlanRun.of("plan", "-f", CLASSIC, "-o", "json"));
        List<Long> entitlements = new ArrayList<>();
        for (JsonNode w : plan.get("workloads")) {
            entitlements.add(w.get("cpu").get("entitlement").asLong());
            assertThat(w.get("admitted").asBoolean()).isTrue();
            assertThat(w.get("node").asText()).isEqualTo("classic-host");
        }
        assertThat(entitlements).containsExactly(250L, 250L, 500L);
        assertThat(plan.get("capacity").get("cpu").asLong()).isEqualTo(1000);

        String table = PlanRun.of("plan", "-f", CLASSIC).out();
        assertThat(table).containsPattern("classic-a[^\\n]*\\n[^\\n]*\\n\\s+cpu\\s+0\\s+1\\s+1000\\s+1\\s+250m");
        assertThat(table).containsPattern("classic-c[^\\n]*\\n[^\\n]*\\n\\s+cpu\\s+0\\s+1\\s+2000\\s+1\\s+500m");
    }

    @Test
    void jsonHasTheDocumentedShape() throws IOException {
        JsonNode plan = json(PlanRun.of("plan", "-f", RESERVATIONS, "-o", "json"));
        assertThat(plan.fieldNames()).toIterable().containsExactly("capacity", "pools", "workloads");
        assertThat(plan.get("capacity").fieldNames()).toIterable().containsExactly("cpu", "memory");
        JsonNode pool = plan.get("pools").get(0);
        assertThat(pool.fieldNames()).toIterable()
                .containsExactly("name", "parent", "health", "conditions", "cpu", "memory");
        assertThat(pool.get("cpu").fieldNames()).toIterable().containsExactly("reservation", "limit",
                "effectiveLimit", "shares", "effectiveShares", "expandable", "used", "available", "entitlement");
        assertThat(pool.get("cpu").get("limit").isNull()).as("unlimited is null").isTrue();
        assertThat(pool.get("conditions").get(0).fieldNames()).toIterable()
                .containsExactly("type", "status", "reason", "message");
        JsonNode w = workload(plan, "acct-1");
        assertThat(w.fieldNames()).toIterable().containsExactly("kind", "namespace", "name", "pool", "admitted",
                "reason", "message", "node", "cpu", "memory", "cgroup");
        assertThat(w.get("cpu").fieldNames()).toIterable().containsExactly("reservation", "limit",
                "effectiveLimit", "shares", "demand", "entitlement", "cap");
        assertThat(w.get("cpu").get("reservation").asLong()).isEqualTo(1000);
        assertThat(w.get("memory").get("limit").asLong()).isEqualTo(2L << 30);
        assertThat(w.get("cgroup").fieldNames()).toIterable().containsExactly("v2", "v1");
        assertThat(w.get("cgroup").get("v2").get("cpu.max").asText()).isEqualTo("100000 100000");
    }

    @Test
    void extraDimensionsAppearOnlyWhenSet() throws IOException {
        JsonNode plan = json(PlanRun.of("plan", "-f",
                PlanGoldenTest.EXAMPLES.resolve("05-openvz-containers.yaml").toString(), "-o", "json"));
        assertThat(plan.get("capacity").fieldNames()).toIterable()
                .containsExactly("cpu", "memory", "diskIOPS", "networkEgress");
        assertThat(plan.get("capacity").get("networkEgress").asLong()).isEqualTo(2_000_000_000L);
        assertThat(workload(plan, "ct-web").get("networkEgress").get("limit").asLong()).isEqualTo(100_000_000L);
    }

    @Test
    void refusedAdmissionCarriesTheMessage() throws IOException {
        JsonNode plan = json(PlanRun.of("plan", "-f", RESERVATIONS, "-o", "json"));
        JsonNode refused = workload(plan, "acct-3");
        assertThat(refused.get("admitted").asBoolean()).isFalse();
        assertThat(refused.get("reason").asText()).isEqualTo("InsufficientReservation");
        assertThat(refused.get("message").asText())
                .contains("pool \"accounting\"", "cpu 1", "VirtualMachine \"accounting/acct-3\"", "0 available");
        assertThat(workload(plan, "sales-3").get("admitted").asBoolean()).isTrue();
        assertThat(workload(plan, "sales-big").get("message").asText())
                .contains("pool \"sales\"", "cpu 6", "3 available", "expandable via \"root\"");
    }

    @Test
    void yamlOutputIsTheJsonDocument() throws IOException {
        PlanRun yaml = PlanRun.of("plan", "-f", RESERVATIONS, "-o", "yaml");
        assertThat(yaml.status()).isZero();
        assertThat(yaml.out()).startsWith("capacity:\n");
        JsonNode fromYaml = new YAMLMapper().readTree(yaml.out());
        assertThat(fromYaml).isEqualTo(json(PlanRun.of("plan", "-f", RESERVATIONS, "-o", "json")));
    }

    @Test
    void directoryMeansItsYamlFilesSortedByName() throws IOException {
        Path d = Files.createDirectory(dir.resolve("manifests"));
        Files.writeString(d.resolve("b.yaml"), """
                {apiVersion: respool.io/v1alpha1, kind: Container, metadata: {name: later}, spec: {image: x, cpu: {reservation: "3"}}}
                """);
        Files.writeString(d.resolve("a.yml"), NODE + """
                ---
                {apiVersion: respool.io/v1alpha1, kind: Container, metadata: {name: earlier}, spec: {image: x, cpu: {reservation: "3"}}}
                """);
        Files.writeString(d.resolve("notes.txt"), "not yaml: [");
        JsonNode plan = json(PlanRun.of("plan", "-f", d.toString(), "-o", "json"));
        assertThat(workload(plan, "earlier").get("admitted").asBoolean()).isTrue();
        assertThat(workload(plan, "later").get("admitted").asBoolean()).isFalse();
    }

    @Test
    void severalFilesAndStandardInputMerge() throws IOException {
        Path node = file("node.yaml", NODE);
        PlanRun run = PlanRun.withStdin("""
                {apiVersion: respool.io/v1alpha1, kind: Container, metadata: {name: piped, namespace: x}, spec: {image: x}}
                """, "plan", "-f", node.toString(), "-f", "-", "-o", "json");
        assertThat(workload(json(run), "piped").get("node").asText()).isEqualTo("n1");
    }

    // ---- exit status 2: unreadable input, with file, document and field

    @Test
    void malformedYamlNamesFileDocumentAndLine() throws IOException {
        Path f = file("broken.yaml", NODE + "---\nkind: Container\nspec: {cpu: [1, 2}\n");
        PlanRun run = PlanRun.of("plan", "-f", f.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("error: " + f + ", document 2: line 7, column")
                .contains("malformed YAML");
    }

    @Test
    void badQuantityNamesFileDocumentObjectFieldValueAndWhatIsAccepted() throws IOException {
        Path f = file("vm.yaml", NODE + """
                ---
                apiVersion: respool.io/v1alpha1
                kind: VirtualMachine
                metadata: {name: db, namespace: payments}
                spec:
                  cpu: {vcpus: 2, reservation: lots}
                  memory: {size: 4Gi}
                """);
        PlanRun run = PlanRun.of("plan", "-f", f.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("error: " + f + ", document 2: VirtualMachine \"payments/db\":"
                + " spec.cpu.reservation: \"lots\" is not a quantity: use a number with an optional suffix"
                + " (m, k, M, G, T, Ki, Mi, Gi, Ti), e.g. \"500m\", \"2\", \"4Gi\", \"100M\"\n");
    }

    @Test
    void everyBadQuantityIsReportedNotOnlyTheFirst() throws IOException {
        Path f = file("pool.yaml", """
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: p}
                spec:
                  cpu: {reservation: 1x, shares: extreme}
                  network: {egress: {limit: fast}}
                """);
        PlanRun run = PlanRun.of("plan", "-f", f.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err().lines()).hasSize(3).allMatch(l -> l.startsWith("error: " + f + ", document 1: ResourcePool \"p\": spec."));
        assertThat(run.err()).contains("spec.cpu.reservation: \"1x\"", "spec.cpu.shares: shares \"extreme\"",
                "low, normal, high", "spec.network.egress.limit: \"fast\"");
    }

    @Test
    void badDemandAnnotationNamesTheAnnotation() throws IOException {
        Path f = file("c.yaml", """
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata: {name: c, annotations: {respool.io/demand-gpu: "1"}}
                spec: {image: x}
                """);
        PlanRun run = PlanRun.of("plan", "-f", f.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains(f + ", document 1: Container \"default/c\":"
                + " metadata.annotations[\"respool.io/demand-gpu\"]: \"gpu\" is not a dimension", "diskIOPS");
    }

    @Test
    void unknownFieldNamesThePathAndTheKnownFields() throws IOException {
        Path f = file("typo.yaml", """
                apiVersion: respool.io/v1alpha1
                kind: VirtualMachine
                metadata: {name: vm}
                spec:
                  cpu: {vcpus: 1, reservaton: "1"}
                  memory: {size: 1Gi}
                """);
        PlanRun run = PlanRun.of("plan", "-f", f.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: " + f + ", document 1: VirtualMachine \"vm\": spec.cpu.reservaton:"
                + " unknown field \"reservaton\": use one of limit, reservation, shares, vcpus\n");
    }

    @Test
    void wrongTypesAndEnumsSayWhatIsAccepted() throws IOException {
        Path vcpus = file("vcpus.yaml", """
                {apiVersion: respool.io/v1alpha1, kind: VirtualMachine, metadata: {name: vm},
                 spec: {cpu: {vcpus: four}, memory: {size: 1Gi}}}
                """);
        PlanRun run = PlanRun.of("plan", "-f", vcpus.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("document 1: VirtualMachine \"vm\": spec.cpu.vcpus: \"four\" is not an integer");

        Path strategy = file("strategy.yaml", """
                {apiVersion: respool.io/v1alpha1, kind: Container, metadata: {name: c}, spec: {image: x, runStrategy: Sometimes}}
                ---
                {apiVersion: respool.io/v1alpha1, kind: VirtualMachine, metadata: {name: vm}, spec: {os: macos}}
                """);
        run = PlanRun.of("plan", "-f", strategy.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("document 1: Container \"c\": spec.runStrategy: \"Sometimes\" is not accepted:"
                + " use one of Always, RerunOnFailure, Manual, Halted");

        Path os = file("os.yaml", """
                {apiVersion: respool.io/v1alpha1, kind: VirtualMachine, metadata: {name: vm}, spec: {os: macos}}
                """);
        assertThat(PlanRun.of("plan", "-f", os.toString()).err())
                .contains("spec.os: \"macos\" is not accepted: use one of linux, windows");
    }

    @Test
    void missingVmSizeIsAnError() throws IOException {
        Path f = file("vm.yaml", """
                {apiVersion: respool.io/v1alpha1, kind: VirtualMachine, metadata: {name: vm, namespace: a}, spec: {cpu: {vcpus: 1}}}
                """);
        PlanRun run = PlanRun.of("plan", "-f", f.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("VirtualMachine \"a/vm\": spec.memory.size: is missing");
    }

    @Test
    void documentsThatAreNotObjects() throws IOException {
        Path list = file("list.yaml", "- a\n- b\n");
        assertThat(PlanRun.of("plan", "-f", list.toString()).err())
                .contains(list + ", document 1: not a Kubernetes object");
        Path noKind = file("nokind.yaml", NODE + "---\napiVersion: v1\nmetadata: {name: x}\n");
        PlanRun run = PlanRun.of("plan", "-f", noKind.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains(noKind + ", document 2: kind: is missing");
        Path noName = file("noname.yaml", "{apiVersion: v1, kind: Node, metadata: {}}\n");
        assertThat(PlanRun.of("plan", "-f", noName.toString()).err())
                .contains(noName + ", document 1: Node: metadata.name: is missing");
    }

    @Test
    void duplicateObjectsNameBothPlaces() throws IOException {
        Path a = file("a.yaml", NODE);
        Path b = file("b.yaml", "# again\n---\n" + NODE);
        PlanRun run = PlanRun.of("plan", "-f", a.toString(), "-f", b.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: " + b + ", document 1: Node \"n1\" is defined twice: first at "
                + a + ", document 1\n");
    }

    @Test
    void missingFileOrEmptyDirectory() throws IOException {
        PlanRun run = PlanRun.of("plan", "-f", dir.resolve("nope.yaml").toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("nope.yaml: no such file or directory");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertThat(PlanRun.of("plan", "-f", empty.toString()).err()).contains("no *.yaml or *.yml files");
    }

    @Test
    void usageErrorsExit2() {
        assertThat(PlanRun.of().status()).isEqualTo(2);
        assertThat(PlanRun.of("plan").status()).isEqualTo(2);
        assertThat(PlanRun.of("plan", "-f", CLASSIC, "-o", "xml").status()).isEqualTo(2);
        PlanRun help = PlanRun.of("plan", "--help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("--strict", "-o, --output", "Exit status:");
    }

    @Test
    void readsTheListsKubectlGetPrintsItemByItem() throws IOException {
        // kubectl get nodes,resourcepools,containers -o yaml: one v1 List; the API's own
        // ContainerList leaves apiVersion and kind out of its items.
        Path f = file("cluster.yaml", """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Node
                  metadata: {name: n1}
                  status: {allocatable: {cpu: "4", memory: 8Gi}}
                - apiVersion: respool.io/v1alpha1
                  kind: ResourcePool
                  metadata: {name: team}
                  spec: {cpu: {reservation: "1"}}
                ---
                apiVersion: respool.io/v1alpha1
                kind: ContainerList
                items:
                - metadata:
                    name: first
                    namespace: apps
                    uid: 6f1c2d1e-0000-4000-8000-000000000001
                    resourceVersion: "4711"
                    generation: 1
                    creationTimestamp: "2026-11-26T10:00:00Z"
                  spec: {pool: team, cpu: {reservation: 600m}}
                  status:
                    observedGeneration: 1
                    phase: Running
                    node: n1
                    conditions:
                    - {type: Admitted, status: "True", reason: Admitted, message: admitted, lastTransitionTime: "2026-11-26T10:00:01Z"}
                - metadata: {name: second, namespace: apps}
                  spec: {pool: team, cpu: {reservation: 600m}, memory: {reservation: 1Gi}}
                """);
        JsonNode plan = json(PlanRun.of("plan", "-f", f.toString(), "-o", "json"));
        assertThat(plan.get("capacity").get("cpu").asLong()).isEqualTo(4000);
        assertThat(plan.get("pools").get(0).get("name").asText()).isEqualTo("team");
        assertThat(workload(plan, "first").get("admitted").asBoolean()).isTrue();
        assertThat(workload(plan, "first").get("node").asText()).isEqualTo("n1");
        // Items keep their order: the second container comes after the first and finds 400m left.
        assertThat(workload(plan, "second").get("admitted").asBoolean()).isTrue();
        assertThat(workload(plan, "second").get("cpu").get("reservation").asLong()).isEqualTo(600);
        assertThat(plan.get("pools").get(0).get("cpu").get("used").asLong()).isEqualTo(1200);
    }

    @Test
    void anErrorInsideAListNamesTheItem() throws IOException {
        Path f = file("list.yaml", NODE + """
                ---
                apiVersion: v1
                kind: List
                items:
                - {apiVersion: respool.io/v1alpha1, kind: ResourcePool, metadata: {name: ok}}
                - {apiVersion: respool.io/v1alpha1, kind: ResourcePool, metadata: {name: bad}, spec: {cpu: {reservation: lots}}}
                """);
        PlanRun run = PlanRun.of("plan", "-f", f.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains(f + ", document 2, items[1]: ResourcePool \"bad\": spec.cpu.reservation");
    }

    // ---- warnings, exit 0, --strict

    @Test
    void unknownKindIsSkippedWithAWarning() throws IOException {
        Path f = file("mixed.yaml", NODE + """
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                ---
                {apiVersion: respool.io/v1beta9, kind: ResourcePool, metadata: {name: future}}
                """);
        PlanRun run = PlanRun.of("plan", "-f", f.toString());
        assertThat(run.status()).isZero();
        assertThat(run.err().lines()).containsExactly(
                "warning: " + f + ", document 2: skipped apps/v1 Deployment: plan reads respool.io/v1alpha1"
                        + " ResourcePool, VirtualMachine and Container, and v1 Node and Namespace",
                "warning: " + f + ", document 3: skipped respool.io/v1beta9 ResourcePool: plan reads"
                        + " respool.io/v1alpha1 ResourcePool, VirtualMachine and Container, and v1 Node and Namespace");
        assertThat(run.out()).startsWith("CLUSTER CAPACITY: cpu 4, memory 8Gi");
    }

    @Test
    void nodeWithoutCapacityIsAWarning() throws IOException {
        Path f = file("bare.yaml", "{apiVersion: v1, kind: Node, metadata: {name: bare}}\n");
        PlanRun run = PlanRun.of("plan", "-f", f.toString());
        assertThat(run.status()).isZero();
        assertThat(run.err()).contains("warning: " + f + ", document 1: Node \"bare\": status.allocatable.cpu: is missing");
    }

    @Test
    void semanticProblemsExit0ButExit1WithStrict() {
        PlanRun lenient = PlanRun.of("plan", "-f", RESERVATIONS);
        assertThat(lenient.status()).isZero();
        assertThat(lenient.err()).isEmpty();
        assertThat(lenient.out()).contains("NOT ADMITTED (InsufficientReservation)");

        PlanRun strict = PlanRun.of("plan", "-f", RESERVATIONS, "--strict");
        assertThat(strict.status()).isEqualTo(1);
        assertThat(strict.out()).isEqualTo(lenient.out());
        assertThat(strict.err().lines()).hasSize(2)
                .anySatisfy(l -> assertThat(l).startsWith("problem: VirtualMachine \"accounting/acct-3\": InsufficientReservation"))
                .anySatisfy(l -> assertThat(l).startsWith("problem: VirtualMachine \"sales/sales-big\": InsufficientReservation"));
    }

    @Test
    void strictPassesACleanPlanAndIgnoresStoppedWorkloads() throws IOException {
        assertThat(PlanRun.of("plan", "-f", CLASSIC, "--strict").status()).isZero();
        Path f = file("halted.yaml", NODE + """
                ---
                {apiVersion: respool.io/v1alpha1, kind: Container, metadata: {name: off}, spec: {image: x, runStrategy: Halted}}
                """);
        assertThat(PlanRun.of("plan", "-f", f.toString(), "--strict").status()).isZero();
    }

    @Test
    void strictFlagsInvalidPools() throws IOException {
        Path f = file("cycle.yaml", NODE + """
                ---
                {apiVersion: respool.io/v1alpha1, kind: ResourcePool, metadata: {name: a}, spec: {parent: b}}
                ---
                {apiVersion: respool.io/v1alpha1, kind: ResourcePool, metadata: {name: b}, spec: {parent: a}}
                """);
        PlanRun run = PlanRun.of("plan", "-f", f.toString(), "--strict");
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("problem: ResourcePool \"a\": Ready=False (InvalidSpec)", "cycle");
    }
}
