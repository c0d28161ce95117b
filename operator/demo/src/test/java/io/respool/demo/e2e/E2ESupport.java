package io.respool.demo.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.respool.api.Container;
import io.respool.api.NodeResourcePlan;
import io.respool.api.ResourcePool;
import io.respool.api.VirtualMachine;
import io.respool.api.WorkloadStatusFields;
import io.respool.demo.Cluster;
import io.respool.demo.ControlPlaneBinaries;
import io.respool.demo.LocalCluster;
import io.respool.operator.OperatorOptions;
import io.respool.operator.RespoolOperator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One simulated cluster per scenario class ({@link LocalCluster} unless a subclass runs on k3s),
 * with helpers to run the operator in this JVM and read what it wrote.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class E2ESupport {

    protected static final Duration CONVERGE = Duration.ofSeconds(60);

    protected Cluster cluster;
    protected KubernetesClient client;
    private RespoolOperator inProcess;
    private KubernetesClient inProcessClient;

    @BeforeAll
    void startCluster() {
        cluster = newCluster();
        client = cluster.client();
    }

    @AfterAll
    void stopCluster() {
        stopOperatorInProcess();
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The cluster this class runs on: a LocalCluster; k3s subclasses override. */
    protected Cluster newCluster() {
        return LocalCluster.start(localOptions());
    }

    /** -Drespool.e2e.keep=true keeps each cluster's directory (process logs, audit log) for a look after a failure. */
    protected LocalCluster.Options localOptions() {
        return LocalCluster.Options.defaults().withKeepDirectory(Boolean.getBoolean("respool.e2e.keep"));
    }

    protected static Path repositoryRoot() {
        Path root = ControlPlaneBinaries.repositoryRoot();
        if (root == null) {
            throw new IllegalStateException("no repository root (crds/ and scripts/) above " + Path.of("").toAbsolutePath());
        }
        return root;
    }

    // ---- the operator in this JVM

    protected void startOperatorInProcess() {
        inProcessClient = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(cluster.kubeconfig("respool-1")))
                .build();
        inProcess = new RespoolOperator(inProcessClient, OperatorOptions.defaults().withHttpPort(0)
                .withBatching(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(300)));
        inProcess.start();
    }

    protected void stopOperatorInProcess() {
        if (inProcess != null) {
            inProcess.close();
            inProcess = null;
        }
        if (inProcessClient != null) {
            inProcessClient.close();
            inProcessClient = null;
        }
    }

    protected RespoolOperator operatorInProcess() {
        return inProcess;
    }

    // ---- reading

    protected List<ResourcePool> pools() {
        return client.resources(ResourcePool.class).list().getItems();
    }

    protected ResourcePool pool(String name) {
        return client.resources(ResourcePool.class).withName(name).get();
    }

    protected List<VirtualMachine> virtualMachines() {
        return client.resources(VirtualMachine.class).inAnyNamespace().list().getItems();
    }

    protected List<Container> containers() {
        return client.resources(Container.class).inAnyNamespace().list().getItems();
    }

    protected Map<String, NodeResourcePlan> plans() {
        Map<String, NodeResourcePlan> result = new LinkedHashMap<>();
        client.resources(NodeResourcePlan.class).list().getItems().forEach(p -> result.put(p.getMetadata().getName(), p));
        return result;
    }

    /** kind/namespace/name, the engine's key. */
    protected static String key(HasMetadata workload) {
        return workload.getKind() + "/" + workload.getMetadata().getNamespace() + "/" + workload.getMetadata().getName();
    }

    protected static WorkloadStatusFields status(HasMetadata workload) {
        return switch (workload) {
            case VirtualMachine vm -> vm.getStatus();
            case Container c -> c.getStatus();
            default -> throw new IllegalArgumentException(workload.getKind());
        };
    }

    protected static Condition condition(List<Condition> conditions, String type) {
        return conditions == null ? null
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    /** The pods that run a workload: a Container's pod, a VM's virt-launcher pods. */
    protected List<Pod> podsOf(HasMetadata workload) {
        String label = workload instanceof VirtualMachine ? "respool.io/virtualmachine" : "respool.io/container";
        return client.pods().inNamespace(workload.getMetadata().getNamespace())
                .withLabel(label, workload.getMetadata().getName()).list().getItems();
    }

    /** A workload's conditions and its pods' state, for failure messages. */
    protected String describe(HasMetadata w) {
        StringBuilder b = new StringBuilder(key(w)).append(": ");
        status(w).getConditions().forEach(c -> b.append(c.getType()).append('=').append(c.getStatus()).append(" (")
                .append(c.getReason()).append(": ").append(c.getMessage()).append(") "));
        for (Pod p : podsOf(w)) {
            b.append("; pod ").append(p.getMetadata().getName()).append(" on ").append(p.getSpec().getNodeName())
                    .append(' ').append(p.getStatus() == null ? null : p.getStatus().getPhase()).append(" requests ")
                    .append(p.getSpec().getContainers().get(0).getResources().getRequests());
            client.v1().events().inNamespace(p.getMetadata().getNamespace()).list().getItems().stream()
                    .filter(e -> p.getMetadata().getName().equals(e.getInvolvedObject().getName()))
                    .forEach(e -> b.append(" [").append(e.getReason()).append(": ").append(e.getMessage()).append(']'));
        }
        return b.toString();
    }

    /** "kind/ns/name phase" of each workload that is not Running, for short failure messages. */
    protected List<String> notRunning() {
        List<HasMetadata> all = new java.util.ArrayList<>(virtualMachines());
        all.addAll(containers());
        List<HasMetadata> stuck = all.stream().filter(w -> status(w) == null || !"Running".equals(status(w).getPhase()))
                .sorted(java.util.Comparator.comparing(E2ESupport::key)).toList();
        List<String> result = new java.util.ArrayList<>();
        for (int i = 0; i < stuck.size(); i++) {
            HasMetadata w = stuck.get(i);
            result.add(i < 3 && status(w) != null ? describe(w)
                    : key(w) + " " + (status(w) == null ? "(no status)" : status(w).getPhase()));
        }
        return result;
    }

    protected static boolean runningAndReady(Pod pod) {
        return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
                && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    protected static void eventually(Duration atMost, Runnable assertion) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(250)).ignoreExceptions().untilAsserted(assertion::run);
    }
}
