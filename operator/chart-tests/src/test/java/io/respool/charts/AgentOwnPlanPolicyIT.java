package io.respool.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.respool.agent.AgentConfig;
import io.respool.agent.NodeAgent;
import io.respool.api.NodeResourcePlan;
import io.respool.api.NodeResourcePlanStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code agent.ownPlanOnly}: the chart's ValidatingAdmissionPolicy lets a node's agent write its
 * own node's NodeResourcePlan only, keyed on the node name a pod-bound ServiceAccount token
 * carries (here given by impersonation, as the API server derives it from a real token). The real
 * agent still works on its own plan; the operator is not affected.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentOwnPlanPolicyIT {

    private static final String NODE_NAME_EXTRA = "authentication.kubernetes.io/node-name";

    private ApiServer api;
    private KubernetesClient admin;

    @TempDir
    Path tmp;

    @BeforeAll
    void install() throws Exception {
        api = new ApiServer();
        admin = api.client();
        Cmd.Result r = new Helm(api.dir().resolve("helm"), api.kubeconfig()).run("install", Helm.RELEASE,
                Repository.CHART.toString(), "--namespace", Helm.NAMESPACE, "--create-namespace",
                "--set", "agent.ownPlanOnly=true");
        assertThat(r.exit()).as(r.describe()).isZero();
        api.waitEstablished("noderesourceplans.respool.io");
        for (String node : List.of("node-a", "node-b")) {
            admin.resource(Manifests.YAML.readValue("""
                    apiVersion: respool.io/v1alpha1
                    kind: NodeResourcePlan
                    metadata: {name: %s}
                    spec: {nodeName: %s}
                    """.formatted(node, node), GenericKubernetesResource.class)).create();
        }
    }

    @AfterAll
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void eachAgentWritesOnlyItsOwnNodesPlan() throws Exception {
        KubernetesClient onNodeA = api.as(Helm.NAMESPACE, "respool-agent", Map.of(NODE_NAME_EXTRA, List.of("node-a")));
        KubernetesClient noNode = api.as(Helm.NAMESPACE, "respool-agent");
        KubernetesClient operator = api.as(Helm.NAMESPACE, "respool-operator");
        try (onNodeA; noNode; operator) {
            // The policy takes effect a moment after it is created.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThatThrownBy(() -> patchStatus(onNodeA, "node-b"))
                    .isInstanceOf(KubernetesClientException.class));
            assertThatThrownBy(() -> patchStatus(onNodeA, "node-b"))
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                        assertThat(e.getCode()).isEqualTo(403);
                        assertThat(e.getMessage()).contains("the respool agent on node \"node-a\" may only write the"
                                + " NodeResourcePlan of its own node, not \"node-b\"");
                    });
            assertThatThrownBy(() -> patchStatus(noNode, "node-a"))
                    .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getMessage())
                            .contains("its token names no node"));
            patchStatus(onNodeA, "node-a");

            // The real agent on node-a, as the DaemonSet runs it, still reports in its plan.
            try (NodeAgent agent = NodeAgent.watching(AgentConfig.defaults("node-a")
                    .withCgroupRoot(Files.createDirectories(tmp.resolve("cgroup")))
                    .withBlockDevices(tmp.resolve("no-sys-block"), List.of())
                    .withPeriods(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5))
                    .withHttpPort(-1), onNodeA)) {
                // (Its cgroup root here has no hierarchy: it says so in the Ready condition.)
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Manifests.YAML.valueToTree(
                        plan("node-a").getAdditionalProperties().get("status")).path("conditions").toString())
                        .contains("\"type\":\"Ready\"", "CgroupUnavailable"));
            }

            // The operator writes every plan's spec, unaffected by the policy.
            operator.resource(Manifests.YAML.readValue("""
                    apiVersion: respool.io/v1alpha1
                    kind: NodeResourcePlan
                    metadata: {name: node-b}
                    spec: {nodeName: node-b, workloads: []}
                    """, GenericKubernetesResource.class)).fieldManager("respool").forceConflicts().serverSideApply();
        }
    }

    private GenericKubernetesResource plan(String node) {
        return admin.genericKubernetesResources("respool.io/v1alpha1", "NodeResourcePlan").withName(node).get();
    }

    /** A status write like the agent's: server-side apply on the status subresource. */
    private static void patchStatus(KubernetesClient client, String node) {
        NodeResourcePlan patch = new NodeResourcePlan();
        patch.setMetadata(new ObjectMetaBuilder().withName(node).build());
        NodeResourcePlanStatus status = new NodeResourcePlanStatus();
        status.setCgroupVersion("v2");
        patch.setStatus(status);
        client.resources(NodeResourcePlan.class).withName(node).subresource("status").patch(new PatchContext.Builder()
                .withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager("respool-agent").withForce(true).build(),
                patch);
    }
}
