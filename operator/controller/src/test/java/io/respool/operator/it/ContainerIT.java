package io.respool.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.respool.api.AppliedWorkload;
import io.respool.api.Container;
import io.respool.api.DimensionEnforcement;
import io.respool.api.NodeResourcePlan;
import io.respool.api.NodeResourcePlanStatus;
import io.respool.api.PlannedWorkload;
import io.respool.api.RunStrategy;
import io.respool.api.WorkloadDemand;
import io.respool.engine.Dimension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** A Container's Pod, its recreation, and the NodeResourcePlans that carry its targets to the agent. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerIT extends ClusterTestSupport {

    @Override
    protected void setUpCluster() {
        node("node-a", "8", "32Gi", Map.of());
        node("node-b", "16", "64Gi", Map.of());
        namespace("web", Map.of());
    }

    @Test
    @Order(1)
    void podCarriesReservationsEffectiveLimitsAffinityAndBandwidth() {
        create(io.respool.api.ResourcePool.class, """
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: web-pool}
                spec:
                  cpu: {limit: 1500m}
                """);
        Container web = create(Container.class, """
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata: {name: web, namespace: web}
                spec:
                  pool: web-pool
                  image: nginx:1.27
                  command: [nginx]
                  args: ["-g", "daemon off;"]
                  env: [{name: MODE, value: prod}]
                  ports: [{name: http, containerPort: 80}]
                  cpu: {reservation: 500m, limit: "2"}
                  memory: {reservation: 256Mi, limit: 1Gi}
                  network: {egress: {limit: 100M}, ingress: {limit: 50M}}
                  storage: {size: 2Gi}
                """);

        eventually(() -> assertThat(client.pods().inNamespace("web").withName("web").get()).isNotNull());
        Container c = container("web", "web");
        assertThat(c.getStatus().getNode()).isEqualTo("node-b"); // lowest load after placement: 0.5/16 < 0.5/8
        assertThat(condition(c.getStatus().getConditions(), "Admitted").getStatus()).isEqualTo("True");
        assertThat(condition(c.getStatus().getConditions(), "Placed").getStatus()).isEqualTo("True");
        assertThat(c.getStatus().getObservedGeneration()).isEqualTo(c.getMetadata().getGeneration());
        assertThat(c.getStatus().getResources().get("cpu").getEffectiveLimit()).isEqualTo(new Quantity("1500m"));

        Pod pod = client.pods().inNamespace("web").withName("web").get();
        var container = pod.getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("nginx:1.27");
        assertThat(container.getCommand()).containsExactly("nginx");
        assertThat(container.getArgs()).containsExactly("-g", "daemon off;");
        assertThat(container.getEnv().get(0).getName()).isEqualTo("MODE");
        assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(80);
        assertThat(container.getResources().getRequests()).containsEntry("cpu", new Quantity("500m"))
                .containsEntry("memory", new Quantity("256Mi")).containsEntry("ephemeral-storage", new Quantity("2Gi"));
        // limits = effective limits: the pool's 1500m narrows the container's own 2 cores
        assertThat(container.getResources().getLimits()).containsEntry("cpu", new Quantity("1500m"))
                .containsEntry("memory", new Quantity("1Gi")).containsEntry("ephemeral-storage", new Quantity("2Gi"));
        assertThat(pod.getMetadata().getAnnotations()).containsEntry("kubernetes.io/egress-bandwidth", "100M")
                .containsEntry("kubernetes.io/ingress-bandwidth", "50M");
        var term = pod.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms().get(0).getMatchExpressions().get(0);
        assertThat(term.getKey()).isEqualTo("kubernetes.io/hostname");
        assertThat(term.getOperator()).isEqualTo("In");
        assertThat(term.getValues()).containsExactly("node-b");
        assertThat(pod.getMetadata().getLabels()).containsEntry("respool.io/container", "web")
                .containsEntry("respool.io/pool", "web-pool");
        var owner = pod.getMetadata().getOwnerReferences().get(0);
        assertThat(owner.getKind()).isEqualTo("Container");
        assertThat(owner.getUid()).isEqualTo(web.getMetadata().getUid());
        assertThat(owner.getController()).isTrue();
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Always");
    }

    @Test
    @Order(2)
    void podIsRecreatedWhenDeletedAndRemovedWhenHalted() {
        String first = client.pods().inNamespace("web").withName("web").get().getMetadata().getUid();
        client.pods().inNamespace("web").withName("web").delete();
        eventually(() -> {
            Pod pod = client.pods().inNamespace("web").withName("web").get();
            assertThat(pod).isNotNull();
            assertThat(pod.getMetadata().getUid()).isNotEqualTo(first);
        });

        client.resources(Container.class).inNamespace("web").withName("web")
                .edit(c -> {
                    c.getSpec().setRunStrategy(RunStrategy.Halted);
                    return c;
                });
        eventually(() -> {
            Container c = container("web", "web");
            assertThat(c.getStatus().getPhase()).isEqualTo("Stopped");
            assertThat(condition(c.getStatus().getConditions(), "Admitted").getReason()).isEqualTo("NotRunning");
            assertThat(client.pods().inNamespace("web").withName("web").get()).isNull();
        });

        client.resources(Container.class).inNamespace("web").withName("web")
                .edit(c -> {
                    c.getSpec().setRunStrategy(RunStrategy.Always);
                    return c;
                });
        eventually(() -> {
            assertThat(client.pods().inNamespace("web").withName("web").get()).isNotNull();
            assertThat(condition(container("web", "web").getStatus().getConditions(), "Admitted").getStatus())
                    .isEqualTo("True");
        });
    }

    @Test
    @Order(3)
    void oneNodeResourcePlanPerNodeWithPodUidsAndTargets() {
        eventually(() -> {
            List<NodeResourcePlan> plans = client.resources(NodeResourcePlan.class).list().getItems();
            assertThat(plans).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("node-a", "node-b");
            NodeResourcePlan a = plans.stream().filter(p -> p.getMetadata().getName().equals("node-a")).findFirst()
                    .orElseThrow();
            assertThat(a.getSpec().getNodeName()).isEqualTo("node-a");
            assertThat(a.getSpec().getWorkloads()).isEmpty();
            assertThat(a.getMetadata().getOwnerReferences().get(0).getKind()).isEqualTo("Node");

            Pod pod = client.pods().inNamespace("web").withName("web").get();
            NodeResourcePlan b = plans.stream().filter(p -> p.getMetadata().getName().equals("node-b")).findFirst()
                    .orElseThrow();
            assertThat(b.getSpec().getWorkloads()).hasSize(1);
            PlannedWorkload w = b.getSpec().getWorkloads().get(0);
            assertThat(w.getKind()).isEqualTo("Container");
            assertThat(w.getNamespace()).isEqualTo("web");
            assertThat(w.getName()).isEqualTo("web");
            assertThat(w.getPool()).isEqualTo("web-pool");
            assertThat(w.getPodUID()).isEqualTo(pod.getMetadata().getUid());
            assertThat(w.getMemoryOverhead()).as("only a VM's pod holds more than the workload").isNull();
            // cpu: floor = reservation 500m; cap = the pool's 1500m limit, all of it for the only workload;
            // weight = entitlement = min(pool limit, demand = own limit 2) = 1500m; shares = normal x 2 cores
            assertThat(w.getCpu().getFloor()).isEqualTo(500);
            assertThat(w.getCpu().getCap()).isEqualTo(1500L);
            assertThat(w.getCpu().getWeight()).isEqualTo(1500);
            assertThat(w.getCpu().getShares()).isEqualTo(2000);
            // memory: floor 256Mi, cap = its limit 1Gi, weight = demand = its limit, shares = 10 per MiB of 1Gi
            assertThat(w.getMemory().getFloor()).isEqualTo(256L << 20);
            assertThat(w.getMemory().getCap()).isEqualTo(1L << 30);
            assertThat(w.getMemory().getWeight()).isEqualTo(1L << 30);
            assertThat(w.getMemory().getShares()).isEqualTo(10240);
        });
    }

    @Test
    @Order(6)
    void persistentStorageGetsAClaimAndAFailedPodIsRecreated() {
        Container db = create(Container.class, """
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata: {name: db, namespace: web}
                spec:
                  image: postgres:17
                  runStrategy: RerunOnFailure
                  cpu: {reservation: 250m, limit: 250m}
                  memory: {reservation: 512Mi, limit: 512Mi}
                  storage: {size: 5Gi, persistent: true}
                """);
        eventually(() -> assertThat(client.pods().inNamespace("web").withName("db").get()).isNotNull());
        var claim = client.persistentVolumeClaims().inNamespace("web").withName("db-storage").get();
        assertThat(claim.getSpec().getResources().getRequests()).containsEntry("storage", new Quantity("5Gi"));
        assertThat(claim.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(db.getMetadata().getUid());
        Pod pod = client.pods().inNamespace("web").withName("db").get();
        assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("OnFailure");
        assertThat(pod.getSpec().getVolumes().get(0).getPersistentVolumeClaim().getClaimName()).isEqualTo("db-storage");
        assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts().get(0).getMountPath()).isEqualTo("/data");
        assertThat(pod.getSpec().getContainers().get(0).getResources().getRequests()).doesNotContainKey("ephemeral-storage");

        // What a kubelet would report: the pod failed. RerunOnFailure: a new Pod replaces it.
        pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Failed").withReason("Evicted")
                .build());
        client.pods().inNamespace("web").resource(pod).updateStatus();
        eventually(() -> {
            Pod now = client.pods().inNamespace("web").withName("db").get();
            assertThat(now).isNotNull();
            assertThat(now.getMetadata().getUid()).isNotEqualTo(pod.getMetadata().getUid());
        });
        eventually(() -> assertThat(client.v1().events().inNamespace("web").list().getItems())
                .anyMatch(e -> "db".equals(e.getInvolvedObject().getName()) && "Recreating".equals(e.getReason())
                        && e.getMessage().contains("failed and runStrategy is RerunOnFailure")));
    }

    @Test
    @Order(5)
    void metricsHealthAndStartupEndpoints() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String base = "http://localhost:" + operator.httpPort();
        var metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("respool_recomputes_total").contains("respool_recompute_duration_seconds")
                .contains("respool_workloads{state=\"admitted\"} 1.0").contains("respool_pools 1.0")
                .contains("respool_leader 1.0")
                .contains("operator_sdk_reconciliations_started_total")
                .doesNotContain("name=\"web\"");
        for (String path : List.of("/healthz", "/startup")) {
            var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + path)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    @Order(4)
    void demandReportedByTheAgentFeedsTheNextPlan() {
        String node = container("web", "web").getStatus().getNode();
        client.resources(NodeResourcePlan.class).withName(node).editStatus(plan -> {
            NodeResourcePlanStatus status = new NodeResourcePlanStatus();
            AppliedWorkload applied = new AppliedWorkload("Container", "web", "web",
                    client.pods().inNamespace("web").withName("web").get().getMetadata().getUid());
            applied.setDemand(new WorkloadDemand(300L, 512L << 20));
            status.setWorkloads(List.of(applied));
            plan.setStatus(status);
            return plan;
        });
        eventually(() -> {
            var cpu = container("web", "web").getStatus().getResources().get("cpu");
            assertThat(cpu.getDemand()).isEqualTo(new Quantity("300m"));
            assertThat(cpu.getEntitlement()).isEqualTo(new Quantity("300m"));
            PlannedWorkload w = client.resources(NodeResourcePlan.class).withName(node).get().getSpec().getWorkloads()
                    .get(0);
            assertThat(w.getCpu().getWeight()).isEqualTo(300);
            assertThat(w.getMemory().getWeight()).isEqualTo(512L << 20);
        });
    }

    @Test
    @Order(7)
    void enforcedConditionFollowsWhatTheAgentReportsWithoutReplanning() {
        String node = container("web", "web").getStatus().getNode();
        assertThat(condition(container("web", "web").getStatus().getConditions(), "Enforced").getStatus())
                .as("no report for the current plan yet").isEqualTo("Unknown");

        PlannedWorkload entry = client.resources(NodeResourcePlan.class).withName(node).get().getSpec().getWorkloads()
                .stream().filter(p -> p.getName().equals("web")).findFirst().orElseThrow();
        List<String> inPlay = new ArrayList<>();
        for (Dimension d : Dimension.values()) {
            if (entry.target(d) != null) {
                inPlay.add(d.jsonName());
            }
        }
        assertThat(inPlay).as("the egress limit puts networkEgress in play").contains("cpu", "memory", "networkEgress");

        reportEnforcement(node, null);
        eventually(() -> {
            var enforced = condition(container("web", "web").getStatus().getConditions(), "Enforced");
            assertThat(enforced.getStatus()).isEqualTo("True");
            assertThat(enforced.getReason()).isEqualTo("AllEnforced");
            assertThat(enforced.getMessage()).isEqualTo("the node agent on node \"" + node
                    + "\" enforces every dimension in play: " + String.join(", ", inPlay));
        });

        long runs = operator.planner().runs();
        reportEnforcement(node, "networkEgress");
        eventually(() -> {
            var enforced = condition(container("web", "web").getStatus().getConditions(), "Enforced");
            assertThat(enforced.getStatus()).isEqualTo("False");
            assertThat(enforced.getReason()).isEqualTo("PartiallyEnforced");
            assertThat(enforced.getMessage()).isEqualTo("not enforced on node \"" + node
                    + "\": networkEgress (NotImplemented: the agent does not shape traffic yet)");
        });
        sleep(1000);
        assertThat(operator.planner().runs()).as("enforcement is not engine input").isEqualTo(runs);
    }

    /** Writes the plan's status as the agent does: every dimension in play enforced but {@code gap}. */
    private void reportEnforcement(String node, String gap) {
        eventually(() -> client.resources(NodeResourcePlan.class).withName(node).editStatus(plan -> {
            PlannedWorkload w = plan.getSpec().getWorkloads().stream().filter(p -> p.getName().equals("web"))
                    .findFirst().orElseThrow();
            AppliedWorkload applied = new AppliedWorkload("Container", "web", "web", w.getPodUID());
            applied.setFound(true);
            applied.setDemand(new WorkloadDemand(300L, 512L << 20)); // as reported before: no new demand
            List<DimensionEnforcement> enforcement = new ArrayList<>();
            for (Dimension d : Dimension.values()) {
                if (w.target(d) != null) {
                    enforcement.add(d.jsonName().equals(gap)
                            ? new DimensionEnforcement(d.jsonName(), false, "NotImplemented",
                            "the agent does not shape traffic yet")
                            : new DimensionEnforcement(d.jsonName(), true, "Applied", ""));
                }
            }
            applied.setEnforcement(enforcement);
            NodeResourcePlanStatus status = new NodeResourcePlanStatus();
            status.setObservedGeneration(plan.getMetadata().getGeneration());
            status.setWorkloads(List.of(applied));
            status.setWorkloadCount(1);
            plan.setStatus(status);
            return plan;
        }));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
