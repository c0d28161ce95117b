package io.respool.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart against a real kube-apiserver and etcd: the rendered manifests of every documented
 * variant pass a server-side dry-run, the pod templates meet the Pod Security Standards they
 * claim, {@code helm install} creates the objects, every example passes a server-side dry-run
 * apply with the CRDs the chart installed, and upgrade and uninstall behave as docs/install.md
 * says. No kubelet: pods never run, objects are what is checked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChartInstallIT {

    private static final String NS = Helm.NAMESPACE;

    private ApiServer api;
    private KubernetesClient client;
    private Helm helm;
    private Kubectl kubectl;

    @BeforeAll
    void startApiServer() throws Exception {
        api = new ApiServer();
        client = api.client();
        helm = new Helm(api.dir().resolve("helm"), api.kubeconfig());
        kubectl = new Kubectl(api.kubeconfig());
        try (InputStream in = getClass().getResourceAsStream("/crds/servicemonitors.yaml")) {
            client.load(in).serverSideApply();
        }
        api.waitEstablished("servicemonitors.monitoring.coreos.com");
        api.createNamespace(NS, Map.of());
    }

    @AfterAll
    void stopApiServer() {
        if (api != null) {
            api.close();
        }
    }

    static Stream<Arguments> variants() {
        String ci = Repository.CHART.resolve("ci").toString();
        return Stream.of(
                Arguments.of("default", List.of()),
                Arguments.of("servicemonitor", List.of("-f", ci + "/servicemonitor-values.yaml",
                        "--api-versions", "monitoring.coreos.com/v1/ServiceMonitor")),
                Arguments.of("no-agent", List.of("-f", ci + "/no-agent-values.yaml")),
                Arguments.of("custom", List.of("-f", ci + "/custom-values.yaml")),
                Arguments.of("privileged-agent", List.of("-f", ci + "/privileged-agent-values.yaml")),
                Arguments.of("own-plan-only", List.of("--set", "agent.ownPlanOnly=true")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    @Order(1)
    void renderedManifestsPassAServerSideDryRun(String variant, List<String> args) throws Exception {
        List<String> all = new ArrayList<>(args);
        all.add("--include-crds");
        String rendered = helm.render(all.toArray(String[]::new));
        Path file = api.dir().resolve("rendered-" + variant + ".yaml");
        Files.writeString(file, rendered);
        String out = kubectl.ok("apply", "--server-side", "--dry-run=server", "--field-manager=helm", "-n", NS,
                "-f", file.toString());
        List<String> applied = out.lines().filter(l -> l.endsWith("serverside-applied (server dry run)")).toList();
        assertThat(applied).as(out).hasSize(Manifests.parse(rendered).all().size());
        assertThat(out).contains("customresourcedefinition.apiextensions.k8s.io/resourcepools.respool.io");
        if (variant.equals("servicemonitor")) {
            assertThat(out).contains("servicemonitor.monitoring.coreos.com/respool serverside-applied");
        }
    }

    @Test
    @Order(2)
    void theOperatorPodIsRestrictedAndTheAgentPodNeedsThePrivilegedLevel() {
        api.createNamespace("pss-restricted", Map.of("pod-security.kubernetes.io/enforce", "restricted"));
        api.createNamespace("pss-baseline", Map.of("pod-security.kubernetes.io/enforce", "baseline"));
        api.createNamespace("pss-privileged", Map.of("pod-security.kubernetes.io/enforce", "privileged"));
        Manifests defaults = Manifests.parse(helm.render());
        Pod operator = pod(defaults.get("Deployment", "respool-operator"), "operator");
        Pod agent = pod(defaults.get("DaemonSet", "respool-agent"), "agent");

        // The operator meets the "restricted" Pod Security Standard, the strictest one.
        assertThat(dryRunCreate("pss-restricted", operator).getMetadata().getName()).isEqualTo("operator");

        // The agent cannot meet "baseline": it needs the host's cgroup tree (hostPath) and, for
        // the run-delay demand signal, the host's PID namespace. Nothing else is asked for.
        assertThatThrownBy(() -> dryRunCreate("pss-baseline", agent))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getMessage())
                        .contains("violates PodSecurity \"baseline:latest\"")
                        .contains("host namespaces (hostPID=true)")
                        .contains("hostPath volumes (volume \"host-cgroup\")")
                        .doesNotContain("privileged").doesNotContain("capabilities"));
        Pod agentWithoutHostPid = pod(Manifests.parse(helm.render("--set", "agent.hostPID=false"))
                .get("DaemonSet", "respool-agent"), "agent-no-hostpid");
        assertThatThrownBy(() -> dryRunCreate("pss-baseline", agentWithoutHostPid))
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getMessage())
                        .contains("hostPath volumes (volume \"host-cgroup\")").doesNotContain("hostPID"));
        // Hence the release namespace must allow the "privileged" level (docs/install.md).
        assertThat(dryRunCreate("pss-privileged", agent).getSpec().getPriorityClassName())
                .isEqualTo("system-node-critical");
    }

    @Test
    @Order(3)
    void helmInstallCreatesTheObjects() {
        Cmd.Result r = helm.run("install", Helm.RELEASE, Repository.CHART.toString(), "--namespace", NS);
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.out()).contains("STATUS: deployed", "respool 0.1.0 is installed in namespace respool-system",
                "kubectl get respool -A", "docs/troubleshooting.md");
        for (String crd : List.of("resourcepools", "virtualmachines", "containers", "noderesourceplans")) {
            api.waitEstablished(crd + ".respool.io");
        }

        Deployment deployment = client.apps().deployments().inNamespace(NS).withName("respool-operator").get();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext()
                .getReadOnlyRootFilesystem()).isTrue();
        DaemonSet daemonSet = client.apps().daemonSets().inNamespace(NS).withName("respool-agent").get();
        assertThat(daemonSet.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(v ->
                assertThat(v.getHostPath().getPath()).isEqualTo("/sys/fs/cgroup"));
        assertThat(daemonSet.getSpec().getTemplate().getSpec().getHostPID()).isTrue();
        for (String name : List.of("respool-operator", "respool-agent")) {
            assertThat(client.serviceAccounts().inNamespace(NS).withName(name).get()).as(name).isNotNull();
            assertThat(client.rbac().clusterRoles().withName(name).get()).as(name).isNotNull();
            assertThat(client.rbac().clusterRoleBindings().withName(name).get()).as(name).isNotNull();
            assertThat(client.services().inNamespace(NS).withName(name + "-metrics").get()).as(name).isNotNull();
        }
        assertThat(client.rbac().roles().inNamespace(NS).withName("respool-operator-leader-election").get()).isNotNull();
        assertThat(client.rbac().roleBindings().inNamespace(NS).withName("respool-operator-leader-election").get())
                .isNotNull();
        assertThat(client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("respool-operator").get())
                .isNotNull();
        assertThat(client.configMaps().inNamespace(NS).withName("respool-dashboard").get().getData())
                .containsKey("respool.json");

        assertThat(helm.run("status", Helm.RELEASE, "-n", NS).out()).contains("STATUS: deployed");
        Cmd.Result nothing = kubectl.run("get", "respool", "-A");
        assertThat(nothing.exit()).as(nothing.describe()).isZero();
        assertThat(nothing.err()).contains("No resources found");
    }

    static Stream<Path> examples() throws Exception {
        return Repository.examples().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    @Order(4)
    void everyExamplePassesAServerSideDryRunApply(Path example) throws Exception {
        Manifests objects = Manifests.parse(Files.readString(example));
        assertThat(objects.ofKind("Namespace")).as("%s brings its namespaces", example).isNotEmpty();
        // The namespaces, for real (a dry run does not create them, and the objects need them).
        for (JsonNode ns : objects.ofKind("Namespace")) {
            client.resource(Manifests.YAML.convertValue(ns, GenericKubernetesResource.class))
                    .fieldManager("kubectl").serverSideApply();
        }
        String all = kubectl.ok("apply", "--server-side", "--dry-run=server", "-f", example.toString());
        assertThat(all.lines().filter(l -> l.endsWith("serverside-applied (server dry run)")))
                .as(all).hasSize(objects.all().size());

        // What the examples tell users to run on a real cluster: everything but the simulated Nodes.
        String real = kubectl.ok("apply", "--server-side", "--dry-run=server", "-f", example.toString(),
                "-l", "!respool.example/simulated");
        long respool = objects.all().stream().filter(o -> o.path("apiVersion").asText().startsWith("respool.io/"))
                .count();
        assertThat(real).doesNotContain("node/");
        assertThat(real.lines().filter(l -> l.contains(".respool.io/"))).as(real).hasSize((int) respool);
        assertThat(objects.ofKind("Node")).allSatisfy(n ->
                assertThat(n.at("/metadata/labels/respool.example~1simulated").asText()).isEqualTo("true"));
    }

    @Test
    @Order(5)
    void theCrdsOfANewerChartAreAppliedBeforeTheUpgrade() throws Exception {
        // helm upgrade leaves CRDs alone; docs/install.md applies the chart's crds/ first. A changed
        // field that helm wrote at install time conflicts with helm's ownership unless forced.
        Path newer = Files.createDirectories(api.dir().resolve("newer-crds"));
        for (Path crd : Repository.crdFiles(Repository.CHART_CRDS)) {
            Files.writeString(newer.resolve(crd.getFileName()), Files.readString(crd)
                    .replaceFirst("(?m)^(    categories:\\n    - respool\\n)", "$1    - respool-newer\n"));
        }
        Cmd.Result plain = kubectl.run("apply", "--server-side", "-f", newer.toString());
        Cmd.Result forced = kubectl.run("apply", "--server-side", "--force-conflicts", "-f", newer.toString());
        assertThat(plain.exit()).as(plain.describe()).isNotZero();
        assertThat(plain.err()).contains("conflicts with \"helm\"", ".spec.names.categories");
        assertThat(forced.exit()).as(forced.describe()).isZero();
        assertThat(client.apiextensions().v1().customResourceDefinitions().withName("resourcepools.respool.io").get()
                .getSpec().getNames().getCategories()).contains("respool-newer");
        // Back to this chart's CRDs.
        kubectl.ok("apply", "--server-side", "--force-conflicts", "-f", Repository.CHART_CRDS.toString());
    }

    @Test
    @Order(6)
    void helmUpgradeChangesTheRelease() {
        Cmd.Result r = helm.run("upgrade", Helm.RELEASE, Repository.CHART.toString(), "--namespace", NS,
                "--reuse-values", "--set", "operator.replicas=3", "--set", "agent.enabled=false");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(client.apps().deployments().inNamespace(NS).withName("respool-operator").get().getSpec()
                .getReplicas()).isEqualTo(3);
        assertThat(client.apps().daemonSets().inNamespace(NS).withName("respool-agent").get()).isNull();
        assertThat(client.rbac().clusterRoles().withName("respool-agent").get()).isNull();
        assertThat(helm.run("history", Helm.RELEASE, "-n", NS).out()).contains("Upgrade complete");
    }

    @Test
    @Order(7)
    void helmUninstallKeepsTheCrdsAndThePools() throws Exception {
        client.resource(Manifests.YAML.readValue("""
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: survivor}
                spec: {cpu: {reservation: "1"}}
                """, GenericKubernetesResource.class)).create();
        Cmd.Result r = helm.run("uninstall", Helm.RELEASE, "--namespace", NS);
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(client.apps().deployments().inNamespace(NS).withName("respool-operator").get()).isNull();
        assertThat(client.rbac().clusterRoles().withName("respool-operator").get()).isNull();
        assertThat(client.configMaps().inNamespace(NS).withName("respool-dashboard").get()).isNull();
        // Helm never deletes the CRDs of crds/ (that would delete every pool and workload with them).
        for (String crd : List.of("resourcepools", "virtualmachines", "containers", "noderesourceplans")) {
            assertThat(client.apiextensions().v1().customResourceDefinitions().withName(crd + ".respool.io").get())
                    .as(crd).isNotNull();
        }
        assertThat(client.genericKubernetesResources("respool.io/v1alpha1", "ResourcePool").withName("survivor")
                .get()).isNotNull();
        assertThat(helm.run("list", "-n", NS, "-q").out()).isBlank();
    }

    private Pod pod(JsonNode workload, String name) {
        PodTemplateSpec template = Manifests.YAML.convertValue(workload.at("/spec/template"), PodTemplateSpec.class);
        Pod pod = new Pod();
        pod.setMetadata(template.getMetadata());
        pod.getMetadata().setName(name);
        pod.setSpec(template.getSpec());
        return pod;
    }

    private Pod dryRunCreate(String namespace, Pod pod) {
        pod.getMetadata().setNamespace(namespace);
        return client.pods().inNamespace(namespace).resource(pod).dryRun().create();
    }
}
