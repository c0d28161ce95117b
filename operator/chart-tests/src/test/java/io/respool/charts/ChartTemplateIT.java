package io.respool.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chart with the real helm binary, no cluster: {@code helm lint --strict}, what {@code helm
 * template} renders for the default values and for the documented variants in
 * {@code helm/respool/ci/}, and the messages that refuse wrong values.
 */
class ChartTemplateIT {

    private static final String OPERATOR = "respool-operator";
    private static final String AGENT = "respool-agent";

    @TempDir
    static Path scratch;

    private static Helm helm() {
        return new Helm(scratch.resolve("helm"), null);
    }

    private static String variant(String name) {
        return Repository.CHART.resolve("ci/" + name + "-values.yaml").toString();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"default", "no-agent", "custom", "privileged-agent"})
    void lintStrictPasses(String variant) {
        List<String> args = new ArrayList<>(List.of("lint", "--strict", Repository.CHART.toString(),
                "--kube-version", ControlPlane.kubernetesVersion()));
        if (!variant.equals("default")) {
            args.addAll(List.of("-f", variant(variant)));
        }
        Cmd.Result r = helm().run(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.out()).contains("1 chart(s) linted, 0 chart(s) failed").doesNotContain("[WARNING]");
    }

    @Test
    void defaultsRenderTheOperatorTheAgentAndTheirRbac() {
        Manifests m = Manifests.parse(helm().render());
        Map<String, Integer> kinds = new TreeMap<>();
        m.all().forEach(o -> kinds.merge(o.path("kind").asText(), 1, Integer::sum));
        assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of(
                "Deployment", 1, "DaemonSet", 1, "ServiceAccount", 2, "ClusterRole", 2, "ClusterRoleBinding", 2,
                "Role", 1, "RoleBinding", 1, "Service", 2, "PodDisruptionBudget", 1, "ConfigMap", 1));
        for (JsonNode o : m.all()) {
            if (!o.path("kind").asText().startsWith("Cluster")) {
                assertThat(o.at("/metadata/namespace").asText()).as(o.path("kind").asText())
                        .isEqualTo(Helm.NAMESPACE);
            }
            assertThat(o.at("/metadata/labels/app.kubernetes.io~1part-of").asText()).isEqualTo("respool");
        }

        JsonNode deployment = m.get("Deployment", OPERATOR);
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        JsonNode operator = deployment.at("/spec/template/spec/containers/0");
        assertThat(operator.path("image").asText()).isEqualTo("respool:0.1.0");
        assertThat(texts(operator.path("args"))).containsExactly("operator");
        assertThat(env(operator)).containsEntry("RESPOOL_LEADER_ELECTION", "true")
                .containsEntry("RESPOOL_HTTP_PORT", "8080").doesNotContainKey("RESPOOL_NAMESPACES");
        assertThat(fieldRef(operator, "POD_NAME")).isEqualTo("metadata.name");
        assertThat(fieldRef(operator, "POD_NAMESPACE")).isEqualTo("metadata.namespace");
        assertThat(operator.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
        assertThat(operator.at("/startupProbe/httpGet/path").asText()).isEqualTo("/startup");
        assertThat(operator.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
        assertThat(operator.at("/resources/requests/cpu").asText()).isEqualTo("200m");
        assertThat(operator.at("/resources/limits/memory").asText()).isEqualTo("1Gi");
        JsonNode sc = operator.path("securityContext");
        assertThat(sc.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(texts(sc.at("/capabilities/drop"))).containsExactly("ALL");
        assertThat(sc.at("/capabilities/add").isMissingNode()).isTrue();
        assertThat(sc.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        assertThat(deployment.at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(deployment.at("/spec/template/spec/securityContext/runAsUser").asInt()).isNotZero();
        assertThat(deployment.at("/spec/template/spec/serviceAccountName").asText()).isEqualTo(OPERATOR);
        assertThat(deployment.at("/spec/template/spec/affinity/podAntiAffinity").isObject()).isTrue();

        JsonNode daemonSet = m.get("DaemonSet", AGENT);
        JsonNode pod = daemonSet.at("/spec/template/spec");
        JsonNode agent = pod.at("/containers/0");
        assertThat(texts(agent.path("args"))).startsWith("agent").contains("--cgroup-root=/host/cgroup",
                "--http-port=9464");
        assertThat(fieldRef(agent, "NODE_NAME")).isEqualTo("spec.nodeName");
        assertThat(volume(pod, "host-cgroup").at("/hostPath/path").asText()).isEqualTo("/sys/fs/cgroup");
        assertThat(volume(pod, "host-cgroup").at("/hostPath/type").asText()).isEqualTo("Directory");
        JsonNode mount = mount(agent, "host-cgroup");
        assertThat(mount.path("mountPath").asText()).isEqualTo("/host/cgroup");
        assertThat(mount.path("readOnly").asBoolean(false)).as("cgroups are written").isFalse();
        assertThat(pod.path("hostPID").asBoolean()).isTrue();
        assertThat(pod.has("hostNetwork")).isFalse();
        assertThat(pod.path("tolerations")).hasSize(1);
        assertThat(pod.at("/tolerations/0/operator").asText()).isEqualTo("Exists");
        assertThat(pod.at("/tolerations/0").has("key")).as("tolerates every taint").isFalse();
        assertThat(pod.path("priorityClassName").asText()).isEqualTo("system-node-critical");
        JsonNode asc = agent.path("securityContext");
        assertThat(asc.path("privileged").asBoolean(false)).isFalse();
        assertThat(asc.path("runAsUser").asInt(-1)).isZero();
        assertThat(asc.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(asc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(texts(asc.at("/capabilities/drop"))).containsExactly("ALL");
        assertThat(asc.at("/capabilities/add").isMissingNode()).as("no capability is added").isTrue();
        assertThat(asc.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        assertThat(agent.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
        assertThat(agent.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");

        assertThat(m.get("Service", OPERATOR + "-metrics").at("/spec/ports/0/name").asText()).isEqualTo("metrics");
        assertThat(m.get("Service", AGENT + "-metrics").at("/spec/clusterIP").asText()).isEqualTo("None");
        JsonNode dashboard = m.get("ConfigMap", "respool-dashboard");
        assertThat(dashboard.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        assertThat(json(dashboard.at("/data/respool.json").asText()).path("title").asText()).isEqualTo("respool");
        assertThat(m.ofKind("ServiceMonitor")).isEmpty();
    }

    @Test
    void rbacNamesEveryResourceAndVerbAndNoWildcard() {
        Manifests m = Manifests.parse(helm().render());
        for (String kind : List.of("ClusterRole", "Role")) {
            for (JsonNode role : m.ofKind(kind)) {
                for (JsonNode rule : role.path("rules")) {
                    for (String field : List.of("apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs")) {
                        assertThat(texts(rule.path(field))).as("%s %s %s", kind, role.at("/metadata/name"), field)
                                .noneMatch(v -> v.contains("*"));
                    }
                    assertThat(rule.path("verbs")).as("verbs of %s", rule).isNotEmpty();
                    assertThat(rule.path("resources")).as("resources of %s", rule).isNotEmpty();
                    assertThat(rule.has("nonResourceURLs")).isFalse();
                }
            }
        }
        Map<String, List<String>> operator = grants(m.get("ClusterRole", OPERATOR));
        assertThat(operator).containsEntry("respool.io/resourcepools/status", List.of("patch"))
                .containsEntry("respool.io/virtualmachines/status", List.of("patch"))
                .containsEntry("respool.io/containers/status", List.of("patch"))
                .containsEntry("/events", List.of("create"))
                .containsEntry("kubevirt.io/virtualmachines", List.of("list", "watch", "create", "patch"))
                .doesNotContainKey("coordination.k8s.io/leases")
                .doesNotContainKey("/secrets")
                .doesNotContainKey("/configmaps");
        assertThat(operator.get("/nodes")).doesNotContain("update", "patch", "delete");
        assertThat(m.get("ClusterRole", OPERATOR).at("/rules").findValues("resourceNames")).singleElement()
                .satisfies(n -> assertThat(texts(n)).containsExactly("virtualmachines.kubevirt.io"));
        // The Lease: only in the release namespace, only the operator's one by name (but create).
        JsonNode role = m.get("Role", OPERATOR + "-leader-election");
        assertThat(role.at("/metadata/namespace").asText()).isEqualTo(Helm.NAMESPACE);
        assertThat(grants(role)).containsOnlyKeys("coordination.k8s.io/leases");
        assertThat(role.at("/rules/1/resourceNames/0").asText()).isEqualTo("respool-operator");
        assertThat(texts(role.at("/rules/0/verbs"))).containsExactly("create");
        assertThat(grants(m.get("ClusterRole", AGENT))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "respool.io/noderesourceplans", List.of("list", "watch"),
                "respool.io/noderesourceplans/status", List.of("patch")));
        assertThat(m.get("ClusterRoleBinding", AGENT).at("/subjects/0/name").asText()).isEqualTo(AGENT);
        assertThat(m.get("ClusterRoleBinding", OPERATOR).at("/subjects/0/namespace").asText())
                .isEqualTo(Helm.NAMESPACE);
    }

    @Test
    void serviceMonitorVariantScrapesBothMetricsServices() {
        Manifests m = Manifests.parse(helm().render("-f", variant("servicemonitor"),
                "--api-versions", "monitoring.coreos.com/v1/ServiceMonitor"));
        JsonNode sm = m.get("ServiceMonitor", "respool");
        assertThat(sm.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
        assertThat(sm.at("/spec/endpoints/0/port").asText()).isEqualTo("metrics");
        assertThat(sm.at("/spec/endpoints/0/interval").asText()).isEqualTo("15s");
        JsonNode selector = sm.at("/spec/selector/matchLabels");
        for (JsonNode service : m.ofKind("Service")) {
            selector.fields().forEachRemaining(e -> assertThat(service.at("/metadata/labels").path(e.getKey()).asText())
                    .as("%s selects %s", e, service.at("/metadata/name")).isEqualTo(e.getValue().asText()));
        }
        assertThat(m.ofKind("Service")).hasSize(2);
    }

    @Test
    void serviceMonitorWithoutThePrometheusOperatorIsRefusedClearly() {
        Cmd.Result r = helm().template("-f", variant("servicemonitor"));
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("metrics.serviceMonitor.enabled is true but this cluster has no"
                + " monitoring.coreos.com/v1 ServiceMonitor");
    }

    @Test
    void withoutTheAgentOnlyTheOperatorIsRendered() {
        Manifests m = Manifests.parse(helm().render("-f", variant("no-agent")));
        assertThat(m.ofKind("DaemonSet")).isEmpty();
        assertThat(m.summary()).noneMatch(s -> s.contains(AGENT));
        assertThat(m.ofKind("ConfigMap")).isEmpty();
        assertThat(m.ofKind("Deployment")).hasSize(1);
        assertThat(m.ofKind("Service")).hasSize(1);
    }

    @Test
    void customValuesReachTheManifests() {
        Manifests m = Manifests.parse(helm().render("-f", variant("custom")));
        JsonNode deployment = m.get("Deployment", OPERATOR);
        JsonNode operator = deployment.at("/spec/template/spec/containers/0");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(operator.path("image").asText()).isEqualTo("platform/respool@sha256:"
                + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        assertThat(env(operator)).containsEntry("RESPOOL_LEADER_ELECTION", "false")
                .containsEntry("RESPOOL_NAMESPACES", "payments,batch");
        assertThat(operator.at("/resources/requests/cpu").asText()).isEqualTo("500m");
        assertThat(operator.at("/resources/limits/memory").asText()).isEqualTo("1536Mi");
        assertThat(deployment.at("/spec/template/spec/nodeSelector/node-role.example~1infra").asText()).isEqualTo("true");
        assertThat(deployment.at("/spec/template/spec/tolerations/0/key").asText()).isEqualTo("infra");
        assertThat(deployment.at("/spec/template/spec/imagePullSecrets/0/name").asText()).isEqualTo("platform-pull");
        assertThat(m.ofKind("Role")).as("no Lease without leader election").isEmpty();
        assertThat(m.ofKind("PodDisruptionBudget")).as("no PDB for one replica").isEmpty();
        assertThat(deployment.at("/metadata/labels/team").asText()).isEqualTo("platform");

        JsonNode ds = m.get("DaemonSet", AGENT);
        JsonNode agent = ds.at("/spec/template/spec/containers/0");
        assertThat(texts(agent.path("args"))).contains("--cgroup-driver=systemd", "--block-device=nvme0n1",
                "--block-device=sda", "--drift-period=5s");
        assertThat(agent.at("/securityContext/seLinuxOptions/type").asText()).isEqualTo("spc_t");
        assertThat(agent.at("/resources/limits/memory").asText()).isEqualTo("400Mi");
        assertThat(ds.at("/spec/template/spec/hostPID").asBoolean(true)).isFalse();
        assertThat(ds.at("/spec/template/spec/nodeSelector/respool.io~1managed").asText()).isEqualTo("true");
    }

    @Test
    void ownPlanOnlyAddsTheAdmissionPolicyForTheAgentsAccount() {
        Manifests m = Manifests.parse(helm().render("--set", "agent.ownPlanOnly=true"));
        JsonNode policy = m.get("ValidatingAdmissionPolicy", AGENT + "-own-plan-only");
        assertThat(policy.at("/spec/matchConditions/0/expression").asText())
                .isEqualTo("request.userInfo.username == \"system:serviceaccount:respool-system:respool-agent\"");
        assertThat(texts(policy.at("/spec/matchConstraints/resourceRules/0/resources")))
                .containsExactly("noderesourceplans", "noderesourceplans/status");
        assertThat(m.get("ValidatingAdmissionPolicyBinding", AGENT + "-own-plan-only").at("/spec/validationActions/0")
                .asText()).isEqualTo("Deny");
        assertThat(Manifests.parse(helm().render()).ofKind("ValidatingAdmissionPolicy")).as("off by default").isEmpty();
    }

    @Test
    void theLastResortPrivilegedAgent() {
        JsonNode agent = Manifests.parse(helm().render("-f", variant("privileged-agent")))
                .get("DaemonSet", AGENT).at("/spec/template/spec/containers/0");
        assertThat(agent.at("/securityContext/privileged").asBoolean()).isTrue();
    }

    static Stream<Arguments> wrongValues() {
        return Stream.of(
                Arguments.of(List.of("--set", "operator.replicas=two"),
                        "at '/operator/replicas': got string, want integer"),
                Arguments.of(List.of("--set", "operater.replicas=2"),
                        "additional properties 'operater' not allowed"),
                Arguments.of(List.of("--set", "agent.cgroupDriver=cgroupv2"),
                        "at '/agent/cgroupDriver': value must be one of '', 'cgroupfs', 'systemd'"),
                Arguments.of(List.of("--set", "agent.driftPeriod=soon"),
                        "at '/agent/driftPeriod': 'soon' does not match pattern"),
                Arguments.of(List.of("--set", "image.pullPolicy=Sometimes"),
                        "at '/image/pullPolicy': value must be one of 'Always', 'IfNotPresent', 'Never'"),
                Arguments.of(List.of("--set", "operator.httpPort=70000"),
                        "at '/operator/httpPort': maximum: got 70,000, want 65,535"),
                Arguments.of(List.of("--set", "operator.watchNamespaces[0]=Payments"),
                        "at '/operator/watchNamespaces/0': 'Payments' does not match pattern"),
                Arguments.of(List.of("--set", "agent.resources.limits.memory[0]=1"),
                        "at '/agent/resources/limits/memory': got array, want number or string"),
                Arguments.of(List.of("--set", "operator.replicas=3", "--set", "operator.leaderElection=false"),
                        "operator.replicas is 3 but operator.leaderElection is false: several replicas would"
                                + " reconcile at once. Turn leaderElection on, or set replicas to 1."),
                Arguments.of(List.of("--kube-version", "1.28.0"),
                        "chart requires kubeVersion: >=1.30.0-0 which is incompatible with Kubernetes v1.28.0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wrongValues")
    void wrongValuesAreRefusedWithAClearMessage(List<String> args, String message) {
        Cmd.Result r = helm().template(args.toArray(String[]::new));
        assertThat(r.exit()).as(r.describe()).isNotZero();
        assertThat(r.err()).as(r.describe()).contains(message);
    }

    @Test
    void theChartCarriesTheFourCrds() {
        Cmd.Result r = helm().run("show", "crds", Repository.CHART.toString());
        assertThat(r.exit()).as(r.describe()).isZero();
        // helm show crds prints the files one after the other without a "---" between them (the
        // generated files have none): count them instead of parsing; docs/install.md applies the
        // chart's crds/ directory instead of piping this output.
        assertThat(r.out().lines().filter(l -> l.equals("kind: CustomResourceDefinition")).count()).isEqualTo(4);
        assertThat(r.out()).contains("  name: resourcepools.respool.io", "  name: virtualmachines.respool.io",
                "  name: containers.respool.io", "  name: noderesourceplans.respool.io");
    }

    // ---- helpers

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new TreeMap<>();
        container.path("env").forEach(e -> {
            if (e.has("value")) {
                env.put(e.path("name").asText(), e.path("value").asText());
            }
        });
        return env;
    }

    private static String fieldRef(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (name.equals(e.path("name").asText())) {
                return e.at("/valueFrom/fieldRef/fieldPath").asText();
            }
        }
        throw new AssertionError("no env " + name + " in " + container);
    }

    private static JsonNode volume(JsonNode podSpec, String name) {
        for (JsonNode v : podSpec.path("volumes")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    private static JsonNode mount(JsonNode container, String name) {
        for (JsonNode v : container.path("volumeMounts")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        throw new AssertionError("no volume mount " + name);
    }

    /** "group/resource" to its verbs, over every rule of a role. */
    private static Map<String, List<String>> grants(JsonNode role) {
        Map<String, List<String>> grants = new TreeMap<>();
        for (JsonNode rule : role.path("rules")) {
            for (String group : texts(rule.path("apiGroups"))) {
                for (String resource : texts(rule.path("resources"))) {
                    grants.computeIfAbsent(group + "/" + resource, k -> new ArrayList<>()).addAll(texts(rule.path("verbs")));
                }
            }
        }
        return grants;
    }

    private static JsonNode json(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + e.getMessage());
        }
    }
}
