package io.respool.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.respool.api.Container;
import io.respool.api.NodeResourcePlan;
import io.respool.api.ResourcePool;
import io.respool.api.VirtualMachine;
import io.respool.demo.AuditLog;
import io.respool.demo.Burst;
import io.respool.demo.FakeNode;
import io.respool.demo.KubeVirtStandIn;
import io.respool.demo.LocalCluster;
import io.respool.demo.OperatorProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator, in a JVM of its own, is SIGKILLed in the middle of a burst of 1,000 creations
 * (800 Containers, 200 VirtualMachines) and started again: everything converges, and no Pod,
 * KubeVirt VM or launcher pod is lost or made twice (the audit log counts every creation).
 */
class OperatorRestartE2E extends E2ESupport {

    static final int CONTAINERS = 800;
    static final int VIRTUAL_MACHINES = 200;

    private final List<OperatorProcess> operators = new ArrayList<>();

    @Override
    protected LocalCluster.Options localOptions() {
        return super.localOptions().withAuditLog(true);
    }

    @AfterEach
    void stopOperators() {
        operators.forEach(OperatorProcess::close);
    }

    static List<FakeNode> nodes() {
        List<FakeNode> nodes = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            nodes.add(FakeNode.of("ct-" + i, "32", "128Gi", Map.of()));
            nodes.add(FakeNode.of("kv-" + i, "32", "128Gi", Map.of(FakeNode.KUBEVIRT_SCHEDULABLE, "true")));
        }
        return nodes;
    }

    static void pools(io.fabric8.kubernetes.client.KubernetesClient client) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("burst").endMetadata().build())
                .create();
        for (String pool : List.of("""
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: web}
                spec: {cpu: {reservation: "10", shares: high}, memory: {reservation: 16Gi}}
                """, """
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: vms}
                spec: {cpu: {reservation: "5"}, memory: {reservation: 64Gi}}
                """)) {
            client.resource(Serialization.unmarshal(pool, ResourcePool.class)).create();
        }
    }

    /**
     * {@code containers} Containers ({prefix}-web-0000 ...) and {@code vms} VirtualMachines
     * ({prefix}-vm-000 ...), mixed evenly in creation order. The VMs reserve 100m cpu and all their
     * memory, so KubeVirt's request defaults change nothing.
     */
    static List<HasMetadata> workloads(String prefix, int containers, int vms) {
        List<HasMetadata> all = new ArrayList<>();
        int c = 0;
        int v = 0;
        while (c < containers || v < vms) {
            boolean vmTurn = v < vms && (c >= containers || (long) v * containers <= (long) c * vms);
            if (vmTurn) {
                all.add(Serialization.unmarshal("""
                        apiVersion: respool.io/v1alpha1
                        kind: VirtualMachine
                        metadata: {name: %s-vm-%03d, namespace: burst}
                        spec:
                          pool: vms
                          cpu: {vcpus: 1, reservation: 100m}
                          memory: {size: 1Gi, reservation: 1Gi}
                          disks: [{name: root, image: fedora:41}]
                        """.formatted(prefix, v++), VirtualMachine.class));
            } else {
                all.add(Serialization.unmarshal("""
                        apiVersion: respool.io/v1alpha1
                        kind: Container
                        metadata: {name: %s-web-%04d, namespace: burst}
                        spec:
                          pool: web
                          image: nginx:1.27
                          cpu: {reservation: 100m, limit: 500m}
                          memory: {reservation: 128Mi, limit: 256Mi}
                        """.formatted(prefix, c++), Container.class));
            }
        }
        return all;
    }

    @Test
    void killedInTheMiddleOfABurstThenRestartedConvergesWithoutLossOrDuplicates() throws Exception {
        cluster.createNodes(nodes());
        pools(client);
        Path dir = ((LocalCluster) cluster).directory().resolve("operators");
        OperatorProcess first = OperatorProcess.start(cluster.kubeconfig("respool-1"), "first", dir, null, List.of(),
                List.of("--no-leader-election"));
        operators.add(first);
        first.awaitStarted(Duration.ofSeconds(90));

        List<HasMetadata> burst = workloads("b", CONTAINERS, VIRTUAL_MACHINES);
        assertThat(burst).hasSize(CONTAINERS + VIRTUAL_MACHINES);
        CompletableFuture<Void> killed = new CompletableFuture<>();
        Burst.create(client, burst, 8, n -> {
            if (n == 400) {
                // Mid-burst: the operator has been admitting, writing statuses and creating pods.
                CompletableFuture.runAsync(() -> {
                    first.kill();
                    killed.complete(null);
                });
            }
        });
        killed.get();
        assertThat(first.alive()).isFalse();
        long podsBeforeRestart = client.pods().inNamespace("burst").list().getItems().size();

        OperatorProcess second = OperatorProcess.start(cluster.kubeconfig("respool-2"), "second", dir, null, List.of(),
                List.of("--no-leader-election"));
        operators.add(second);
        second.awaitStarted(Duration.ofSeconds(90));

        eventually(Duration.ofSeconds(240), () -> {
            List<Container> cts = containers();
            List<VirtualMachine> vms = virtualMachines();
            assertThat(cts).hasSize(CONTAINERS);
            assertThat(vms).hasSize(VIRTUAL_MACHINES);
            assertThat(notRunning()).isEmpty();
        });

        // Exactly one pod per workload, owned by it, on the node its status names; nothing else.
        List<Container> cts = containers();
        List<VirtualMachine> vms = virtualMachines();
        Map<String, List<Pod>> podsByOwner = client.pods().inNamespace("burst").list().getItems().stream()
                .collect(Collectors.groupingBy(p -> p.getMetadata().getOwnerReferences().get(0).getUid()));
        for (Container c : cts) {
            List<Pod> pods = podsByOwner.getOrDefault(c.getMetadata().getUid(), List.of());
            assertThat(pods).as(key(c)).hasSize(1);
            assertThat(pods.get(0).getMetadata().getName()).isEqualTo(c.getMetadata().getName());
            assertThat(pods.get(0).getSpec().getNodeName()).as(key(c)).isEqualTo(c.getStatus().getNode());
            assertThat(runningAndReady(pods.get(0))).as(key(c)).isTrue();
        }
        Map<String, GenericKubernetesResource> kubeVirtVms = new HashMap<>();
        client.genericKubernetesResources(KubeVirtStandIn.VIRTUAL_MACHINES).inNamespace("burst").list().getItems()
                .forEach(k -> kubeVirtVms.put(k.getMetadata().getName(), k));
        assertThat(kubeVirtVms).hasSize(VIRTUAL_MACHINES);
        for (VirtualMachine vm : vms) {
            GenericKubernetesResource kv = kubeVirtVms.get(vm.getMetadata().getName());
            assertThat(kv.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(vm.getMetadata().getUid());
            List<Pod> launchers = podsByOwner.getOrDefault(kv.getMetadata().getUid(), List.of());
            assertThat(launchers).as(key(vm)).hasSize(1);
            assertThat(launchers.get(0).getSpec().getNodeName()).as(key(vm)).isEqualTo(vm.getStatus().getNode());
        }
        assertThat(podsByOwner.values().stream().mapToInt(List::size).sum()).isEqualTo(CONTAINERS + VIRTUAL_MACHINES);

        // The plans carry every workload once, with its pod's UID.
        Map<String, String> podUid = new HashMap<>();
        client.pods().inNamespace("burst").list().getItems().forEach(p -> podUid.put(p.getMetadata().getLabels()
                .getOrDefault("respool.io/container", p.getMetadata().getLabels().get("respool.io/virtualmachine")),
                p.getMetadata().getUid()));
        eventually(Duration.ofSeconds(30), () -> {
            List<String> planned = new ArrayList<>();
            for (NodeResourcePlan plan : plans().values()) {
                plan.getSpec().getWorkloads().forEach(w -> {
                    planned.add(w.getName());
                    assertThat(w.getPodUID()).as(w.getName()).isEqualTo(podUid.get(w.getName()));
                });
            }
            assertThat(planned).hasSize(CONTAINERS + VIRTUAL_MACHINES).doesNotHaveDuplicates();
        });

        // Reservations counted once each: 800 x 100m cpu and 128Mi in web, 200 x 100m and 1Gi in vms.
        var web = pool("web").getStatus().getResources();
        assertThat(ExamplesE2E.base(io.respool.engine.Dimension.CPU, web.get("cpu").getUsed())).isEqualTo(80_000);
        assertThat(ExamplesE2E.base(io.respool.engine.Dimension.MEMORY, web.get("memory").getUsed()))
                .isEqualTo(800L * 128 << 20);
        var vmPool = pool("vms").getStatus().getResources();
        assertThat(ExamplesE2E.base(io.respool.engine.Dimension.CPU, vmPool.get("cpu").getUsed())).isEqualTo(20_000);
        assertThat(ExamplesE2E.base(io.respool.engine.Dimension.MEMORY, vmPool.get("memory").getUsed()))
                .isEqualTo(200L << 30);

        // Every Pod, KubeVirt VM and launcher pod was created exactly once: none lost and made again,
        // none made twice by the two operator processes.
        List<AuditLog.Entry> log = AuditLog.read(((LocalCluster) cluster).auditLog());
        List<AuditLog.Entry> created = log.stream().filter(e -> e.code() == 201 && "burst".equals(e.namespace())
                && e.subresource() == null && Set.of("pods", "virtualmachines").contains(e.resource())).toList();
        Map<String, Long> creations = created.stream().filter(e -> e.name() != null)
                .collect(Collectors.groupingBy(AuditLog.Entry::object, Collectors.counting()));
        assertThat(creations.values()).as("creations per object").allMatch(n -> n == 1);
        // Container pods, respool VMs (made by this test) and KubeVirt VMs, by name. On a loaded machine the
        // API server may answer a create with a timeout (5xx, audited so) after storing the object, and
        // the client's retry then gets 409: such an object reached the server once without a 201.
        Set<String> reachedServer = log.stream().filter(e -> "burst".equals(e.namespace()) && e.name() != null
                && e.subresource() == null && Set.of("pods", "virtualmachines").contains(e.resource())
                && Set.of("create", "patch").contains(e.verb()) && (e.code() == 201 || e.code() >= 500))
                .map(AuditLog.Entry::object).filter(o -> creations.containsKey(o) || exists(o))
                .collect(Collectors.toSet());
        assertThat(reachedServer).hasSize(CONTAINERS + 2 * VIRTUAL_MACHINES);
        // ... and launcher pods (generateName: no name in the log): one per VM in all, and each VM has one.
        assertThat(created.stream().filter(e -> e.name() == null && e.resource().equals("pods")).count())
                .isEqualTo(VIRTUAL_MACHINES);
        Map<String, Long> podCreatorsBeforeAndAfter = log.stream()
                .filter(e -> "pods".equals(e.resource()) && e.name() != null && e.user().startsWith("respool-")
                        && (e.code() == 201 || (e.code() >= 500 && reachedServer.contains(e.object())
                                && !creations.containsKey(e.object()))))
                .collect(Collectors.groupingBy(AuditLog.Entry::user,
                        Collectors.collectingAndThen(Collectors.mapping(AuditLog.Entry::object, Collectors.toSet()),
                                set -> (long) set.size())));
        System.out.printf("OperatorRestartE2E: %d pods existed when the second operator started; pods created by"
                + " each operator: %s%n", podsBeforeRestart, podCreatorsBeforeAndAfter);
        assertThat(podCreatorsBeforeAndAfter.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(CONTAINERS);
    }

    /** Whether the object of an audit entry ("group/resource/namespace/name") exists now. */
    private boolean exists(String object) {
        String[] p = object.split("/", 4);
        if ("pods".equals(p[1])) {
            return cluster.client().pods().inNamespace(p[2]).withName(p[3]).get() != null;
        }
        String version = "kubevirt.io".equals(p[0]) ? "v1" : "v1alpha1";
        return cluster.client().genericKubernetesResources(p[0] + "/" + version, "VirtualMachine").inNamespace(p[2])
                .withName(p[3]).get() != null;
    }
}
