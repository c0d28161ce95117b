package io.respool.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.respool.agent.AgentConfig;
import io.respool.agent.FakeCgroupTree;
import io.respool.agent.NodeAgent;
import io.respool.api.AppliedWorkload;
import io.respool.api.NodeResourcePlan;
import io.respool.api.NodeResourcePlanSpec;
import io.respool.api.NodeResourcePlanStatus;
import io.respool.api.NodeTarget;
import io.respool.api.PlannedWorkload;
import io.respool.engine.Dimension;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against a real kube-apiserver and etcd (fabric8 kube-api-test, offline, binaries from
 * scripts/control-plane.sh) with respool's NodeResourcePlan CRD, and a cgroup v2 tree laid out
 * like a systemd-driver node: the informer brings the plan, the values land in the files, the
 * status comes back through the status subresource, spec changes and deletion are followed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentStatusIT {

    static final String A = "0a1b2c3d-0000-4000-8000-00000000000a";
    static final String B = "0a1b2c3d-0000-4000-8000-00000000000b";
    static final String BURSTABLE = "kubepods.slice/kubepods-burstable.slice";
    static final long MI = 1 << 20;

    KubeAPIServer api;
    KubernetesClient client;

    @TempDir
    Path tmp;

    static String pod(String uid) {
        return BURSTABLE + "/kubepods-burstable-pod" + uid.replace('-', '_') + ".slice";
    }

    @BeforeAll
    void startApiServer() throws Exception {
        Map<String, String> env = controlPlaneEnv();
        api = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig().withOfflineMode(true)
                .withTestDir(env.get("KUBE_API_TEST_DIR")).withApiServerVersion(env.get("KUBE_API_TEST_API_SERVER_VERSION"))
                .build());
        api.start();
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(api.getKubeConfigYaml())).build();
        try (InputStream in = Files.newInputStream(repositoryRoot().resolve("crds/noderesourceplans.respool.io-v1.yml"))) {
            client.load(in).serverSideApply();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var crd = client.apiextensions().v1().customResourceDefinitions().withName("noderesourceplans.respool.io").get();
            return crd != null && crd.getStatus() != null && crd.getStatus().getConditions().stream()
                    .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
        });
    }

    @AfterAll
    void stopApiServer() {
        if (client != null) {
            client.close();
        }
        if (api != null) {
            api.stop();
        }
    }

    static PlannedWorkload workload(String name, String uid, long cpuWeight) {
        PlannedWorkload w = new PlannedWorkload("Container", "shop", name, "prod", uid);
        w.setTarget(Dimension.CPU, new NodeTarget(cpuWeight, 0, 500L, 1000));
        w.setTarget(Dimension.MEMORY, new NodeTarget(512 * MI, 256 * MI, 1024 * MI, 10240));
        return w;
    }

    @Test
    void theAgentFollowsItsPlanAndReportsInTheStatus() throws Exception {
        FakeCgroupTree tree = FakeCgroupTree.v2(tmp.resolve("cgroup"));
        tree.v2Parent("kubepods.slice").v2Parent(BURSTABLE);
        tree.cgroup(pod(A), FakeCgroupTree.V2_POD_FILES).cgroup(pod(B), FakeCgroupTree.V2_POD_FILES);
        NodeResourcePlan plan = new NodeResourcePlan();
        plan.setMetadata(new ObjectMetaBuilder().withName("node-1").build());
        plan.setSpec(new NodeResourcePlanSpec("node-1", List.of(workload("web", A, 250), workload("db", B, 500),
                workload("elsewhere", "99999999-0000-4000-8000-000000000000", 250))));
        client.resource(plan).fieldManager("respool-operator").serverSideApply();

        AgentConfig config = AgentConfig.defaults("node-1").withCgroupRoot(tree.root())
                .withBlockDevices(tmp.resolve("no-sys-block"), List.of())
                .withPeriods(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5)).withHttpPort(0);
        try (NodeAgent agent = NodeAgent.watching(config, client)) {
            NodeResourcePlanStatus status = awaitStatus(s -> s.getObservedGeneration() == 1
                    && s.getWorkloads().get(0).getDemand() != null && s.getWorkloads().get(0).getDemand().getCpu() != null);

            assertThat(tree.read(pod(A) + "/cpu.weight")).isEqualTo("25");
            assertThat(tree.read(pod(B) + "/cpu.weight")).isEqualTo("50");
            assertThat(tree.read(BURSTABLE + "/memory.min")).isEqualTo(Long.toString(512 * MI));
            assertThat(status.getCgroupVersion()).isEqualTo("v2");
            assertThat(status.getCgroupDriver()).isEqualTo("systemd");
            assertThat(status.getWorkloadCount()).isEqualTo(3);
            AppliedWorkload web = status.getWorkloads().get(0);
            assertThat(web.isFound()).isTrue();
            assertThat(web.getCgroupPath()).isEqualTo(pod(A));
            assertThat(web.getApplied()).containsEntry("cpu.weight", "25").containsEntry("cpu.max", "50000 100000")
                    .containsEntry("memory.min", Long.toString(256 * MI));
            assertThat(web.getEnforcement()).extracting("dimension", "enforced", "reason")
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("cpu", true, "Applied"),
                            org.assertj.core.groups.Tuple.tuple("memory", true, "Applied"));
            assertThat(web.getDemand().getCpu()).isZero();
            AppliedWorkload elsewhere = status.getWorkloads().get(2);
            assertThat(elsewhere.isFound()).isFalse();
            assertThat(elsewhere.getEnforcement().get(0).getReason()).isEqualTo("CgroupNotFound");
            assertThat(condition(status, "Ready").getStatus()).isEqualTo("True");
            assertThat(condition(status, "Ready").getMessage()).contains("applied to 2 of 3");
            assertThat(condition(status, "Enforced").getStatus()).isEqualTo("False");
            assertThat(condition(status, "Enforced").getReason()).isEqualTo("PartiallyEnforced");
            assertThat(condition(status, "Enforced").getMessage()).contains("Container shop/elsewhere cpu: CgroupNotFound");

            // The spec stays the operator's; the status is the agent's.
            NodeResourcePlan stored = client.resources(NodeResourcePlan.class).withName("node-1").get();
            assertThat(stored.getSpec().getWorkloads()).hasSize(3);
            assertThat(stored.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager)
                    .contains("respool-operator", StatusPublisher.FIELD_MANAGER);
            assertThat(stored.getMetadata().getManagedFields()).filteredOn(f -> "status".equals(f.getSubresource()))
                    .extracting(ManagedFieldsEntry::getManager).containsExactly(StatusPublisher.FIELD_MANAGER);

            // A new spec: applied and reported under the new generation.
            plan.setSpec(new NodeResourcePlanSpec("node-1", List.of(workload("web", A, 500))));
            client.resource(plan).fieldManager("respool-operator").serverSideApply();
            status = awaitStatus(s -> s.getObservedGeneration() == 2);
            assertThat(tree.read(pod(A) + "/cpu.weight")).isEqualTo("50");
            assertThat(status.getWorkloads()).hasSize(1);
            assertThat(condition(status, "Enforced").getStatus()).isEqualTo("True");
            // db left the plan: its pod got back what the agent found there.
            assertThat(tree.read(pod(B) + "/cpu.weight")).isEqualTo("100");
            assertThat(tree.read(pod(B) + "/memory.min")).isEqualTo("0");

            HttpClient http = HttpClient.newHttpClient();
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort()
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("respool_agent_plan_generation 2").contains("respool_agent_workloads{state=\"enforced\"} 1");
            assertThat(metrics).containsPattern("respool_agent_status_writes_total [1-9]");
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + agent.httpPort() + "/readyz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);

            // The plan deleted: every pod gets its values back.
            client.resources(NodeResourcePlan.class).withName("node-1").delete();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(tree.read(pod(A) + "/cpu.weight")).isEqualTo("100"));
            assertThat(tree.read(BURSTABLE + "/memory.min")).isEqualTo("0");
        }
    }

    private NodeResourcePlanStatus awaitStatus(java.util.function.Predicate<NodeResourcePlanStatus> done) {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            NodeResourcePlan p = client.resources(NodeResourcePlan.class).withName("node-1").get();
            return p == null ? null : p.getStatus();
        }, s -> s != null && s.getObservedGeneration() != null && done.test(s));
    }

    private static Condition condition(NodeResourcePlanStatus s, String type) {
        return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }

    static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("crds"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("no crds/ directory above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** KUBE_API_TEST_DIR and the version: from the environment, else from scripts/control-plane.sh. */
    static Map<String, String> controlPlaneEnv() throws Exception {
        Map<String, String> env = new HashMap<>();
        for (String key : List.of("KUBE_API_TEST_DIR", "KUBE_API_TEST_API_SERVER_VERSION")) {
            if (System.getenv(key) != null) {
                env.put(key, System.getenv(key));
            }
        }
        if (env.size() == 2) {
            return env;
        }
        Process p = new ProcessBuilder(repositoryRoot().resolve("scripts/control-plane.sh").toString(), "--print-env")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("export ")) {
                    String[] kv = line.substring("export ".length()).split("=", 2);
                    env.put(kv[0], kv[1].replaceAll("^'|'$", ""));
                }
            }
        }
        p.waitFor(10, TimeUnit.MINUTES);
        return env;
    }
}
