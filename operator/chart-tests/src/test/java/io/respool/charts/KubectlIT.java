package io.respool.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The commands a user types, against a real kube-apiserver whose CRDs came from {@code helm
 * install}: statuses are written the way the operator and the agent write them (through the status
 * subresource, here with {@code kubectl patch --subresource=status}), then {@code kubectl get} by
 * category, kind, plural and short name shows them in the printer columns, {@code kubectl wait}
 * reads the Ready condition, {@code kubectl describe} shows conditions and Events, and
 * {@code kubectl explain} and {@code kubectl api-resources} describe the API. (operator/api's
 * CrdSchemaIT checks each kind's columns one by one; this is the everyday view across kinds.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlIT {

    private static final String NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();

    private ApiServer api;
    private KubernetesClient client;
    private Kubectl kubectl;

    @BeforeAll
    void installAndWriteStatuses() throws Exception {
        api = new ApiServer();
        client = api.client();
        kubectl = new Kubectl(api.kubeconfig());
        Cmd.Result r = new Helm(api.dir().resolve("helm"), api.kubeconfig())
                .run("install", Helm.RELEASE, Repository.CHART.toString(), "--namespace", Helm.NAMESPACE,
                        "--create-namespace");
        assertThat(r.exit()).as(r.describe()).isZero();
        for (String crd : List.of("resourcepools", "virtualmachines", "containers", "noderesourceplans")) {
            api.waitEstablished(crd + ".respool.io");
        }
        api.createNamespace("shop", Map.of("team", "shop"));
        create("""
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: production}
                spec: {cpu: {reservation: "8", limit: "16"}, memory: {reservation: 32Gi}}
                """);
        create("""
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: web-tier}
                spec: {parent: production, cpu: {reservation: "2"}}
                """);
        create("""
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata: {name: web, namespace: shop}
                spec: {pool: web-tier, image: nginx:1.27, cpu: {reservation: 500m, limit: "2"}}
                """);
        create("""
                apiVersion: respool.io/v1alpha1
                kind: VirtualMachine
                metadata: {name: db, namespace: shop}
                spec:
                  pool: production
                  cpu: {vcpus: 4, reservation: "2"}
                  memory: {size: 8Gi, reservation: 8Gi}
                """);
        create("""
                apiVersion: respool.io/v1alpha1
                kind: NodeResourcePlan
                metadata: {name: node-1, labels: {app.kubernetes.io/managed-by: respool}}
                spec: {nodeName: node-1}
                """);

        status("resourcepool", null, "production", """
                {"status": {"observedGeneration": 1, "health": "Valid",
                  "resources": {"cpu": {"used": "6500m", "available": "1500m", "entitlement": "6"},
                                "memory": {"used": "8Gi", "available": "24Gi", "entitlement": "8Gi"}},
                  "conditions": [%s, %s]}}
                """.formatted(condition("Ready", "True", "Valid", "pool \"production\" is valid"),
                condition("ReservationGranted", "True", "Granted", "cpu 8 and memory 32Gi reserved")));
        status("resourcepool", null, "web-tier", """
                {"status": {"observedGeneration": 1, "health": "Valid",
                  "resources": {"cpu": {"used": "500m", "available": "1500m", "entitlement": "1200m"}},
                  "conditions": [%s]}}
                """.formatted(condition("Ready", "True", "Valid", "pool \"web-tier\" is valid")));
        status("container", "shop", "web", """
                {"status": {"observedGeneration": 1, "phase": "Running", "node": "node-1",
                  "resources": {"cpu": {"entitlement": "1200m"}, "memory": {"entitlement": "512Mi"}},
                  "conditions": [%s, %s, %s]}}
                """.formatted(condition("Ready", "True", "PodReady", "Pod \"web\" is running on node \"node-1\""),
                condition("Admitted", "True", "Admitted", "admitted into pool \"web-tier\""),
                condition("Placed", "True", "Placed", "placed on node \"node-1\"")));
        status("virtualmachine", "shop", "db", """
                {"status": {"observedGeneration": 1, "phase": "Refused",
                  "conditions": [%s, %s]}}
                """.formatted(condition("Ready", "False", "InsufficientReservation",
                        "pool \"production\" cannot reserve cpu 2 for VirtualMachine \"shop/db\": 1500m available"),
                condition("Admitted", "False", "InsufficientReservation",
                        "pool \"production\" cannot reserve cpu 2 for VirtualMachine \"shop/db\": 1500m available")));
        status("noderesourceplan", null, "node-1", """
                {"status": {"observedGeneration": 1, "cgroupVersion": "v2", "cgroupDriver": "systemd",
                  "workloadCount": 1, "conditions": [%s, %s],
                  "workloads": [{"kind": "Container", "namespace": "shop", "name": "web",
                    "podUID": "0a1b2c3d-0000-4000-8000-00000000000a", "found": true,
                    "enforcement": [
                      {"dimension": "cpu", "enforced": true, "reason": "Applied", "message": "cpu.weight, cpu.max"},
                      {"dimension": "networkEgress", "enforced": false, "reason": "NotImplemented",
                       "message": "network shaping is not available on this node"}]}]}}
                """.formatted(condition("Ready", "True", "Applied", "plan of generation 1 applied"),
                condition("Enforced", "False", "NotEnforced", "networkEgress of Container shop/web")));

        // Events as the operator writes them: in the workload's namespace; a pool's in "default".
        event("shop", "VirtualMachine", "db", "shop", "Warning", "InsufficientReservation",
                "pool \"production\" cannot reserve cpu 2 for VirtualMachine \"shop/db\": 1500m available");
        event("shop", "Container", "web", "shop", "Normal", "Admitted", "admitted into pool \"web-tier\"");
        event("default", "ResourcePool", "production", null, "Normal", "DeletionBlocked",
                "pool \"production\" is being deleted but still holds 1 child pool (\"web-tier\")");
    }

    @AfterAll
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void getTheCategoryListsEveryKindWithItsStatusColumns() {
        List<List<String>> rows = kubectl.table("get", "respool", "-A");
        // One table per kind, in the order kubectl discovers them; check each kind's rows.
        assertThat(rows).contains(
                List.of("NAMESPACE", "NAME", "AGE", "CPU RESERVED", "CPU AVAILABLE", "CPU ENTITLED",
                        "MEMORY RESERVED", "MEMORY AVAILABLE", "MEMORY ENTITLED", "HEALTH"),
                List.of("", "resourcepool.respool.io/production", "<age>", "6500m", "1500m", "6", "8Gi", "24Gi",
                        "8Gi", "Valid"),
                List.of("", "resourcepool.respool.io/web-tier", "<age>", "500m", "1500m", "1200m", "", "", "",
                        "Valid"),
                List.of("NAMESPACE", "NAME", "AGE", "POOL", "NODE", "PHASE", "CPU", "MEMORY"),
                List.of("shop", "virtualmachine.respool.io/db", "<age>", "production", "", "Refused", "", ""),
                List.of("shop", "container.respool.io/web", "<age>", "web-tier", "node-1", "Running", "1200m",
                        "512Mi"),
                List.of("NAMESPACE", "NAME", "AGE", "WORKLOADS", "CGROUP"),
                List.of("", "noderesourceplan.respool.io/node-1", "<age>", "1", "v2"));
    }

    @Test
    void everydayGetCommandsByKindPluralAndShortName() {
        assertThat(kubectl.table("get", "resourcepools")).containsExactly(
                List.of("NAME", "AGE", "CPU RESERVED", "CPU AVAILABLE", "CPU ENTITLED", "MEMORY RESERVED",
                        "MEMORY AVAILABLE", "MEMORY ENTITLED", "HEALTH"),
                List.of("production", "<age>", "6500m", "1500m", "6", "8Gi", "24Gi", "8Gi", "Valid"),
                List.of("web-tier", "<age>", "500m", "1500m", "1200m", "", "", "", "Valid"));
        assertThat(kubectl.table("get", "virtualmachines.respool.io", "-n", "shop")).containsExactly(
                List.of("NAME", "AGE", "POOL", "NODE", "PHASE", "CPU", "MEMORY"),
                List.of("db", "<age>", "production", "", "Refused", "", ""));
        assertThat(kubectl.table("get", "containers.respool.io", "-n", "shop")).containsExactly(
                List.of("NAME", "AGE", "POOL", "NODE", "PHASE", "CPU", "MEMORY"),
                List.of("web", "<age>", "web-tier", "node-1", "Running", "1200m", "512Mi"));
        assertThat(kubectl.table("get", "noderesourceplans", "-l", "app.kubernetes.io/managed-by=respool"))
                .containsExactly(List.of("NAME", "AGE", "WORKLOADS", "CGROUP"), List.of("node-1", "<age>", "1", "v2"));
        // Short names, several kinds at once, the tree's parent column.
        assertThat(kubectl.table("get", "rvm,rct", "-n", "shop")).contains(
                List.of("virtualmachine.respool.io/db", "<age>", "production", "", "Refused", "", ""),
                List.of("container.respool.io/web", "<age>", "web-tier", "node-1", "Running", "1200m", "512Mi"));
        assertThat(kubectl.table("get", "rp", "-o", "wide")).extracting(row -> row.subList(0, 3)).containsExactly(
                List.of("NAME", "AGE", "PARENT"), List.of("production", "<age>", ""),
                List.of("web-tier", "<age>", "production"));
    }

    @Test
    void conditionsAreReadByWaitJsonpathAndCustomColumns() {
        assertThat(kubectl.ok("wait", "--for=condition=Ready", "container/web", "-n", "shop",
                "--timeout=10s")).contains("condition met");
        Cmd.Result notReady = kubectl.run("wait", "--for=condition=Ready", "rvm/db", "-n", "shop", "--timeout=2s");
        assertThat(notReady.exit()).as(notReady.describe()).isNotZero();
        assertThat(notReady.err()).contains("timed out waiting for the condition");
        assertThat(kubectl.ok("wait", "--for=jsonpath={.status.phase}=Refused", "rvm/db", "-n", "shop",
                "--timeout=10s")).contains("condition met");
        assertThat(kubectl.ok("get", "rvm", "db", "-n", "shop", "-o",
                "jsonpath={.status.conditions[?(@.type==\"Admitted\")].message}"))
                .isEqualTo("pool \"production\" cannot reserve cpu 2 for VirtualMachine \"shop/db\": 1500m available");
        assertThat(kubectl.table("get", "rvm,rct", "-n", "shop", "-o",
                "custom-columns=NAME:.metadata.name,READY:.status.conditions[?(@.type==\"Ready\")].status,"
                        + "REASON:.status.conditions[?(@.type==\"Ready\")].reason")).containsExactly(
                List.of("NAME", "READY", "REASON"),
                List.of("db", "False", "InsufficientReservation"),
                List.of("web", "True", "PodReady"));
    }

    @Test
    void describeShowsConditionsAndEvents() {
        String vm = kubectl.ok("describe", "rvm", "db", "-n", "shop");
        assertThat(vm).contains("Conditions:", "Type:                  Admitted", "Reason:                InsufficientReservation")
                .contains("Events:", "Warning  InsufficientReservation",
                        "pool \"production\" cannot reserve cpu 2 for VirtualMachine \"shop/db\": 1500m available");
        String pool = kubectl.ok("describe", "resourcepool", "production");
        assertThat(pool).contains("Health:", "Valid", "Events:", "Normal  DeletionBlocked");
        assertThat(kubectl.table("get", "events", "-A", "--field-selector", "source=respool-operator", "-o",
                "custom-columns=NAMESPACE:.metadata.namespace,OBJECT:.involvedObject.name,REASON:.reason"))
                .containsExactlyInAnyOrder(List.of("NAMESPACE", "OBJECT", "REASON"),
                        List.of("default", "production", "DeletionBlocked"), List.of("shop", "db", "InsufficientReservation"),
                        List.of("shop", "web", "Admitted"));
        assertThat(kubectl.table("get", "events", "-n", "shop", "--field-selector",
                "involvedObject.kind=VirtualMachine,reason=InsufficientReservation", "-o",
                "custom-columns=OBJECT:.involvedObject.name,TYPE:.type,REASON:.reason"))
                .containsExactly(List.of("OBJECT", "TYPE", "REASON"), List.of("db", "Warning", "InsufficientReservation"));
    }

    @Test
    void theEnforcementReportReadsAsTroubleshootingMdShows() {
        // The command of docs/troubleshooting.md, "Enforcement on the nodes".
        String report = kubectl.ok("get", "nrp", "node-1", "-o", "jsonpath={range .status.workloads[*]}"
                + "{.namespace}/{.name}{\"\\n\"}{range .enforcement[*]}  {.dimension} {.enforced} {.reason}: "
                + "{.message}{\"\\n\"}{end}{end}");
        assertThat(report).isEqualTo("""
                shop/web
                  cpu true Applied: cpu.weight, cpu.max
                  networkEgress false NotImplemented: network shaping is not available on this node
                """);
        assertThat(kubectl.table("get", "nrp", "-o", "wide")).containsExactly(
                List.of("NAME", "AGE", "WORKLOADS", "DRIVER", "CGROUP", "ENFORCED"),
                List.of("node-1", "<age>", "1", "systemd", "v2", "False"));
    }

    @Test
    void anInvalidObjectIsRefusedAtApplyWithTheFieldAndTheRule() throws Exception {
        java.nio.file.Path bad = api.dir().resolve("bad-container.yaml");
        java.nio.file.Files.writeString(bad, """
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata: {name: bad, namespace: shop}
                spec:
                  image: nginx:1.27
                  memory: {reservation: 1Gi, limit: 512Mi}
                """);
        Cmd.Result r = kubectl.run("apply", "--server-side", "-f", bad.toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("spec.memory.limit", "limit 512Mi is below reservation 1Gi: use a limit of at"
                + " least the reservation, or omit limit for unlimited");
    }

    @Test
    void explainAndApiResourcesDescribeTheApi() {
        String cpu = kubectl.ok("explain", "rp.spec.cpu").replaceAll("\\s+", " ");
        assertThat(cpu).contains("KIND: ResourcePool", "GROUP: respool.io", "expandableReservation <boolean>",
                "reservation <Object>", "limit <Object>", "shares <Object>");
        assertThat(kubectl.ok("explain", "containers.spec.storage").replaceAll("\\s+", " "))
                .contains("persistent <boolean>", "size <Object>");
        assertThat(kubectl.table("api-resources", "--api-group=respool.io")).containsExactlyInAnyOrder(
                List.of("NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"),
                List.of("containers", "rct", "respool.io/v1alpha1", "true", "Container"),
                List.of("noderesourceplans", "nrp", "respool.io/v1alpha1", "false", "NodeResourcePlan"),
                List.of("resourcepools", "rp", "respool.io/v1alpha1", "false", "ResourcePool"),
                List.of("virtualmachines", "rvm", "respool.io/v1alpha1", "true", "VirtualMachine"));
    }

    // ---- helpers

    private void create(String yaml) throws Exception {
        client.resource(Manifests.YAML.readValue(yaml, GenericKubernetesResource.class)).create();
    }

    /** Writes a status as the operator and the agent do: through the status subresource. */
    private void status(String kind, String namespace, String name, String patch) {
        List<String> args = new java.util.ArrayList<>(List.of("patch", kind + ".respool.io", name,
                "--subresource=status", "--type=merge", "-p", patch));
        if (namespace != null) {
            args.addAll(List.of("-n", namespace));
        }
        assertThat(kubectl.ok(args.toArray(String[]::new))).contains("patched");
    }

    private static String condition(String type, String status, String reason, String message) {
        return """
                {"type": "%s", "status": "%s", "reason": "%s", "message": "%s", "observedGeneration": 1,
                 "lastTransitionTime": "%s"}""".formatted(type, status, reason, message.replace("\"", "\\\""), NOW);
    }

    private void event(String namespace, String kind, String name, String objectNamespace, String type, String reason,
                       String message) {
        var resources = client.genericKubernetesResources("respool.io/v1alpha1", kind);
        GenericKubernetesResource object = objectNamespace == null ? resources.withName(name).get()
                : resources.inNamespace(objectNamespace).withName(name).get();
        client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                .withNewMetadata().withGenerateName(name + ".").withNamespace(namespace).endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withApiVersion("respool.io/v1alpha1").withKind(kind)
                        .withName(name).withNamespace(objectNamespace).withUid(object.getMetadata().getUid()).build())
                .withType(type).withReason(reason).withMessage(message)
                .withFirstTimestamp(NOW).withLastTimestamp(NOW).withCount(1)
                .withNewSource().withComponent("respool-operator").endSource()
                .build()).create();
    }
}
