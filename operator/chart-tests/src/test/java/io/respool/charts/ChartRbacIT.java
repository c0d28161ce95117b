package io.respool.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.respool.agent.AgentConfig;
import io.respool.agent.NodeAgent;
import io.respool.operator.OperatorOptions;
import io.respool.operator.RespoolOperator;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart's RBAC is enough, and no more than enough: the chart is installed with helm into a
 * real kube-apiserver (RBAC authorization, OwnerReferencesPermissionEnforcement on, every request
 * audited), then two operator replicas (leader election on) and a node agent run in this JVM,
 * each acting as the chart's ServiceAccount by impersonation, so that each request is authorized
 * by the chart's ClusterRoles and Role alone. A scenario drives every code path that writes:
 * pool status and its protection finalizer, an admitted Container with its Pod and persistent
 * storage, a refused one with its Warning Event, a VirtualMachine with its KubeVirt VM, a Pod
 * replaced after an image change, a pool deletion held and released, node plans and their status.
 * Then the audit log must show no request refused, and every verb granted must have been used
 * (or be one of the few that only admission checks or a conflict retry use, each named below).
 * Last, the Grafana dashboard may only query metrics the operator and the agent really export.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChartRbacIT {

    private static final String NS = Helm.NAMESPACE;
    private static final String OPERATOR_SA = "respool-operator";
    private static final String AGENT_SA = "respool-agent";
    private static final ResourceDefinitionContext KUBEVIRT_VMS = new ResourceDefinitionContext.Builder()
            .withGroup("kubevirt.io").withVersion("v1").withKind("VirtualMachine").withPlural("virtualmachines")
            .withNamespaced(true).build();

    /**
     * Granted but never seen as a request of their own in this scenario, and why they are granted.
     * Keys: "account group/resource verb".
     */
    private static final Map<String, String> GRANTED_FOR_OTHER_PATHS = Map.of(
            "respool-operator respool.io/resourcepools get",
            "JOSDK re-reads the pool when removing its finalizer meets a conflict",
            "respool-operator respool.io/virtualmachines get",
            "JOSDK re-reads the workload when a status write meets a conflict",
            "respool-operator respool.io/containers get",
            "JOSDK re-reads the workload when a status write meets a conflict",
            "respool-operator respool.io/virtualmachines/finalizers update",
            "checked by OwnerReferencesPermissionEnforcement when a KubeVirt VM names its owner",
            "respool-operator respool.io/containers/finalizers update",
            "checked by OwnerReferencesPermissionEnforcement when a Pod or PVC names its owner",
            "respool-operator coordination.k8s.io/leases update",
            "JOSDK refuses to start leader election unless create, get and update are allowed");

    private ApiServer api;
    private KubernetesClient admin;
    private final List<AutoCloseable> running = new ArrayList<>();
    private RespoolOperator leader;
    private RespoolOperator standby;
    private NodeAgent agent;

    @TempDir
    Path tmp;

    @BeforeAll
    void installTheChart() throws Exception {
        RecordedLog.clear();
        api = new ApiServer();
        admin = api.client();
        Helm helm = new Helm(api.dir().resolve("helm"), api.kubeconfig());
        Cmd.Result r = helm.run("install", Helm.RELEASE, Repository.CHART.toString(), "--namespace", NS,
                "--create-namespace");
        assertThat(r.exit()).as(r.describe()).isZero();
        for (String crd : List.of("resourcepools", "virtualmachines", "containers", "noderesourceplans")) {
            api.waitEstablished(crd + ".respool.io");
        }
        try (InputStream in = getClass().getResourceAsStream("/crds/kubevirt-virtualmachines.yaml")) {
            admin.load(in).serverSideApply();
        }
        api.waitEstablished("virtualmachines.kubevirt.io");
        node("node-a", true);
        node("node-b", false);
        api.createNamespace("shop", Map.of("team", "shop"));
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable c : running.reversed()) {
            c.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    @Order(1)
    void theOperatorAndTheAgentDoTheirWorkUnderTheChartsServiceAccounts() throws Exception {
        RespoolOperator first = operator();
        RespoolOperator second = operator();
        await().atMost(Duration.ofSeconds(60)).until(() -> first.leading() || second.leading());
        leader = first.leading() ? first : second;
        standby = leader == first ? second : first;
        assertThat(standby.leading()).as("exactly one replica leads").isFalse();
        for (RespoolOperator op : List.of(leader, standby)) {
            // The chart's startup and liveness probes, on the leader and on the standby.
            assertThat(http(op.httpPort(), "/startup")).isEqualTo("200 started\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> http(op.httpPort(), "/healthz").equals("200 ok\n"));
        }

        apply("""
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: shop-pool}
                spec:
                  cpu: {reservation: "2", expandableReservation: false}
                  namespaceSelector: {matchLabels: {team: shop}}
                """);
        apply(container("web", "nginx:1.27", "cpu: {reservation: \"1\", limit: \"2\"}\n  storage: {size: 1Gi, persistent: true}"));
        apply(container("too-big", "nginx:1.27", "cpu: {reservation: \"4\"}"));
        apply("""
                apiVersion: respool.io/v1alpha1
                kind: VirtualMachine
                metadata: {name: vm1, namespace: shop}
                spec:
                  pool: shop-pool
                  cpu: {vcpus: 1, reservation: 500m}
                  memory: {size: 1Gi}
                  disks: [{name: root, image: containerdisks/fedora:41}]
                """);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(condition("ResourcePool", null, "shop-pool", "ReservationGranted")).isNotNull();
            assertThat(condition("Container", "shop", "web", "Admitted")).isEqualTo("True");
            assertThat(condition("Container", "shop", "too-big", "Admitted")).isEqualTo("False");
            assertThat(admin.pods().inNamespace("shop").withName("web").get()).isNotNull();
            assertThat(admin.persistentVolumeClaims().inNamespace("shop").list().getItems()).hasSize(1);
            assertThat(admin.genericKubernetesResources(KUBEVIRT_VMS).inNamespace("shop").withName("vm1").get())
                    .isNotNull();
            assertThat(admin.v1().events().inNamespace("shop").list().getItems())
                    .anyMatch(e -> "Warning".equals(e.getType()) && "too-big".equals(e.getInvolvedObject().getName()));
            assertThat(admin.genericKubernetesResources("respool.io/v1alpha1", "NodeResourcePlan")
                    .withName("node-a").get()).isNotNull();
        });

        // A new image: the operator deletes the Pod and applies a new one.
        String before = admin.pods().inNamespace("shop").withName("web").get().getMetadata().getUid();
        apply(container("web", "nginx:1.28", "cpu: {reservation: \"1\", limit: \"2\"}\n  storage: {size: 1Gi, persistent: true}"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Pod pod = admin.pods().inNamespace("shop").withName("web").get();
            assertThat(pod).isNotNull();
            assertThat(pod.getMetadata().getUid()).isNotEqualTo(before);
            assertThat(pod.getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:1.28");
        });

        // The node agent (cgroup root without a hierarchy: it reports that in the plan's status).
        KubernetesClient agentClient = api.as(NS, AGENT_SA);
        running.add(agentClient);
        agent = NodeAgent.watching(AgentConfig.defaults("node-a")
                .withCgroupRoot(Files.createDirectories(tmp.resolve("cgroup")))
                .withBlockDevices(tmp.resolve("no-sys-block"), List.of())
                .withPeriods(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5)).withHttpPort(0),
                agentClient);
        running.add(agent);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(condition("NodeResourcePlan", null, "node-a", "Ready")).isEqualTo("False"));

        // Deleting a pool that still holds workloads is held by its finalizer, then completes.
        admin.genericKubernetesResources("respool.io/v1alpha1", "ResourcePool").withName("shop-pool").delete();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(condition("ResourcePool", null, "shop-pool", "DeletionBlocked")).isEqualTo("True"));
        for (String c : List.of("web", "too-big")) {
            admin.genericKubernetesResources("respool.io/v1alpha1", "Container").inNamespace("shop").withName(c).delete();
        }
        admin.genericKubernetesResources("respool.io/v1alpha1", "VirtualMachine").inNamespace("shop").withName("vm1")
                .delete();
        await().atMost(Duration.ofSeconds(60)).until(() -> admin.genericKubernetesResources("respool.io/v1alpha1",
                "ResourcePool").withName("shop-pool").get() == null);
    }

    @Test
    @Order(2)
    void noRequestWasRefusedAndEveryGrantedVerbIsNeeded() {
        Map<String, TreeSet<String>> used = new TreeMap<>();
        List<String> refused = new ArrayList<>();
        for (JsonNode e : api.auditEvents()) {
            String user = e.at("/impersonatedUser/username").asText();
            String account = user.startsWith("system:serviceaccount:" + NS + ":") ? user.substring(user.lastIndexOf(':') + 1)
                    : null;
            if (account == null) {
                continue;
            }
            JsonNode o = e.path("objectRef");
            String resource = o.path("apiGroup").asText() + "/" + o.path("resource").asText()
                    + (o.hasNonNull("subresource") ? "/" + o.path("subresource").asText() : "");
            String verb = e.path("verb").asText();
            int code = e.at("/responseStatus/code").asInt();
            if ("forbid".equals(e.at("/annotations/authorization.k8s.io~1decision").asText()) || code == 403) {
                refused.add(account + " " + verb + " " + e.path("requestURI").asText() + ": "
                        + e.at("/responseStatus/message").asText());
            }
            used.computeIfAbsent(account, k -> new TreeSet<>()).add(resource + " " + verb);
            if ("patch".equals(verb) && code == 201) {
                // A server-side apply that created the object: authorized as create too.
                used.get(account).add(resource + " create");
            }
        }
        assertThat(refused).as("requests the chart's RBAC refused").isEmpty();
        assertThat(RecordedLog.warnings()).as("warnings about refused requests in the operator's or agent's log")
                .noneMatch(w -> w.toLowerCase(java.util.Locale.ROOT).contains("forbidden"));

        Map<String, List<String>> granted = Map.of(
                OPERATOR_SA, grants(OPERATOR_SA),
                AGENT_SA, grants(AGENT_SA));
        List<String> unused = new ArrayList<>();
        for (var entry : granted.entrySet()) {
            for (String grant : entry.getValue()) {
                String key = entry.getKey() + " " + grant;
                if (!used.getOrDefault(entry.getKey(), new TreeSet<>()).contains(grant)
                        && !GRANTED_FOR_OTHER_PATHS.containsKey(key)) {
                    unused.add(key);
                }
            }
        }
        assertThat(unused).as("verbs the chart grants that nothing used (requests seen: %s)", used).isEmpty();
        assertThat(GRANTED_FOR_OTHER_PATHS.keySet()).as("the exceptions are still granted")
                .allMatch(k -> granted.get(k.substring(0, k.indexOf(' '))).contains(k.substring(k.indexOf(' ') + 1)));
        assertThat(used.get(AGENT_SA)).containsExactlyInAnyOrder(
                "respool.io/noderesourceplans list", "respool.io/noderesourceplans watch",
                "respool.io/noderesourceplans/status patch");
    }

    @Test
    @Order(3)
    void whatTheServiceAccountsMayNotDo() {
        // A few things a compromised operator or agent must not be able to do.
        assertThat(canI(OPERATOR_SA, "get", "secrets", "-A")).isFalse();
        assertThat(canI(OPERATOR_SA, "update", "nodes")).isFalse();
        assertThat(canI(OPERATOR_SA, "delete", "resourcepools.respool.io")).isFalse();
        assertThat(canI(OPERATOR_SA, "update", "deployments.apps", "-n", NS)).isFalse();
        assertThat(canI(OPERATOR_SA, "create", "leases.coordination.k8s.io", "-n", "default")).isFalse();
        assertThat(canI(OPERATOR_SA, "patch", "virtualmachines.kubevirt.io", "-n", "shop")).isTrue();
        assertThat(canI(AGENT_SA, "patch", "noderesourceplans.respool.io")).isFalse();
        assertThat(canI(AGENT_SA, "patch", "noderesourceplans.respool.io", "--subresource=status")).isTrue();
        assertThat(canI(AGENT_SA, "list", "pods", "-A")).isFalse();
        assertThat(canI(AGENT_SA, "get", "resourcepools.respool.io")).isFalse();
    }

    @Test
    @Order(4)
    void theDashboardQueriesOnlyMetricsThatExist() throws Exception {
        Map<String, Set<String>> exported = new TreeMap<>();
        exported.putAll(metricLabels(http(leader.httpPort(), "/metrics")));
        exported.putAll(metricLabels(http(agent.httpPort(), "/metrics")));
        JsonNode dashboard = Manifests.YAML.readTree(Repository.CHART.resolve("dashboards/respool.json").toFile());
        List<String> queries = new ArrayList<>();
        dashboard.findValues("expr").forEach(n -> queries.add(n.asText()));
        dashboard.at("/templating/list").forEach(v -> {
            if (v.has("definition")) {
                queries.add(v.path("definition").asText());
            }
        });
        assertThat(queries).hasSizeGreaterThan(15);
        Pattern selector = Pattern.compile("\\b((?:respool|operator_sdk)_[a-z0-9_]+)(\\{([^}]*)})?");
        Pattern labelName = Pattern.compile("([a-z_]+)\\s*(=~|!=|!~|=)");
        Set<String> queried = new TreeSet<>();
        // JOSDK registers its failure counter with the first failed reconcile; this scenario has none.
        Set<String> onFirstFailure = Set.of("operator_sdk_controllers_execution_reconcile_failure_total");
        for (String q : queries) {
            Matcher m = selector.matcher(q);
            while (m.find()) {
                String metric = m.group(1);
                queried.add(metric);
                if (onFirstFailure.contains(metric)) {
                    continue;
                }
                assertThat(exported).as("metric %s in query %s", metric, q).containsKey(metric);
                if (m.group(3) != null) {
                    Matcher l = labelName.matcher(m.group(3));
                    while (l.find()) {
                        String label = l.group(1);
                        if (!Set.of("namespace", "pod").contains(label)) {   // added by Prometheus at scrape time
                            assertThat(exported.get(metric)).as("label %s of %s in %s", label, metric, q).contains(label);
                        }
                    }
                }
            }
        }
        // Every series respool itself defines is on the dashboard.
        assertThat(queried).containsAll(exported.keySet().stream().filter(n -> n.startsWith("respool_")
                && !n.endsWith("_max")).toList());
    }

    // ---- helpers

    private List<String> grants(String account) {
        List<PolicyRule> rules = new ArrayList<>(admin.rbac().clusterRoles().withName(account).get().getRules());
        if (OPERATOR_SA.equals(account)) {
            rules.addAll(admin.rbac().roles().inNamespace(NS).withName(account + "-leader-election").get().getRules());
        }
        List<String> grants = new ArrayList<>();
        for (PolicyRule rule : rules) {
            assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    for (String verb : rule.getVerbs()) {
                        grants.add(group + "/" + resource + " " + verb);
                    }
                }
            }
        }
        return grants;
    }

    private boolean canI(String account, String... args) {
        List<String> command = new ArrayList<>(List.of(ControlPlane.kubectl().toString(), "--kubeconfig",
                api.kubeconfig().toString(), "auth", "can-i", "--as=system:serviceaccount:" + NS + ":" + account));
        command.addAll(List.of(args));
        Cmd.Result r = Cmd.run(command, Map.of(), 60);
        assertThat(r.out().trim()).as(r.describe()).isIn("yes", "no");
        return "yes".equals(r.out().trim());
    }

    /** Metric names of a Prometheus text exposition and the label names each carries. */
    private static Map<String, Set<String>> metricLabels(String exposition) {
        Map<String, Set<String>> metrics = new TreeMap<>();
        Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})?\\s");
        Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
        for (String line : exposition.lines().toList()) {
            Matcher m = sample.matcher(line);
            if (line.startsWith("#") || !m.find()) {
                continue;
            }
            Set<String> labels = metrics.computeIfAbsent(m.group(1), k -> new TreeSet<>());
            if (m.group(3) != null) {
                Matcher l = label.matcher(m.group(3));
                while (l.find()) {
                    labels.add(l.group(1));
                }
            }
        }
        return metrics;
    }

    private void node(String name, boolean kubevirt) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/hostname", name);
        if (kubevirt) {
            labels.put("kubevirt.io/schedulable", "true");
        }
        var created = admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).withLabels(labels)
                .endMetadata().build()).create();
        Map<String, Quantity> allocatable = Map.of("cpu", new Quantity("8"), "memory", new Quantity("32Gi"),
                "pods", new Quantity("110"));
        created.setStatus(new NodeStatusBuilder().withAllocatable(allocatable).withCapacity(allocatable)
                .withConditions(new NodeConditionBuilder().withType("Ready").withStatus("True")
                        .withReason("KubeletReady").build()).build());
        admin.nodes().resource(created).updateStatus();
    }

    private RespoolOperator operator() {
        KubernetesClient client = api.as(NS, OPERATOR_SA);
        running.add(client);
        RespoolOperator op = new RespoolOperator(client, OperatorOptions.defaults().withHttpPort(0)
                .withLeaderElection(true, NS)
                .withBatching(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(300)));
        op.start();
        running.add(op);
        return op;
    }

    private static String container(String name, String image, String allocations) {
        return """
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata: {name: %s, namespace: shop}
                spec:
                  pool: shop-pool
                  image: %s
                  %s
                """.formatted(name, image, allocations);
    }

    private void apply(String yaml) throws Exception {
        admin.resource(Manifests.YAML.readValue(yaml, GenericKubernetesResource.class))
                .fieldManager("kubectl").forceConflicts().serverSideApply();
    }

    /** The status of a condition of a respool object, or null. */
    private String condition(String kind, String namespace, String name, String type) {
        var resources = admin.genericKubernetesResources("respool.io/v1alpha1", kind);
        GenericKubernetesResource o = namespace == null ? resources.withName(name).get()
                : resources.inNamespace(namespace).withName(name).get();
        if (o == null) {
            return null;
        }
        JsonNode status = Manifests.YAML.valueToTree(o.getAdditionalProperties().get("status"));
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c.path("status").asText();
            }
        }
        return null;
    }

    private static String http(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.ofString());
        return path.equals("/metrics") ? r.body() : r.statusCode() + " " + r.body();
    }
}
