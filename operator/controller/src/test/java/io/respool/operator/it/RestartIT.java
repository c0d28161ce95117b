package io.respool.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.respool.api.Container;
import io.respool.api.ResourcePool;
import io.respool.api.VirtualMachine;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The operator stopped and started again: admissions survive (they are read back from status),
 * nothing is created twice, nothing is lost, and what changed while it was away is planned.
 */
class RestartIT extends ClusterTestSupport {

    private static final ResourceDefinitionContext KUBEVIRT_VMS = new ResourceDefinitionContext.Builder()
            .withGroup("kubevirt.io").withVersion("v1").withKind("VirtualMachine").withPlural("virtualmachines")
            .withNamespaced(true).build();

    @Override
    protected void setUpCluster() {
        node("r-1", "16", "64Gi", Map.of("kubevirt.io/schedulable", "true"));
        node("r-2", "16", "64Gi", Map.of());
        namespace("stay", Map.of());
        applyYamlResource("/it/kubevirt-virtualmachines-crd.yaml");
        waitEstablished("virtualmachines.kubevirt.io");
    }

    @Test
    void restartLosesNothingDuplicatesNothingAndKeepsAdmissions() {
        create(ResourcePool.class, """
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: steady}
                spec:
                  cpu: {reservation: "4", expandableReservation: false}
                """);
        eventually(() -> assertThat(pool("steady").getStatus()).isNotNull());
        for (int i = 0; i < 6; i++) {
            create(Container.class, """
                    apiVersion: respool.io/v1alpha1
                    kind: Container
                    metadata: {name: app-%d, namespace: stay}
                    spec:
                      pool: steady
                      image: busybox:1.37
                      cpu: {reservation: 500m, limit: "1"}
                      memory: {reservation: 64Mi, limit: 128Mi}
                    """.formatted(i));
        }
        for (int i = 0; i < 2; i++) {
            create(VirtualMachine.class, """
                    apiVersion: respool.io/v1alpha1
                    kind: VirtualMachine
                    metadata: {name: vm-%d, namespace: stay}
                    spec:
                      pool: steady
                      cpu: {vcpus: 1, reservation: 500m}
                      memory: {size: 1Gi}
                      disks: [{name: root, image: quay.io/containerdisks/fedora:41}]
                    """.formatted(i));
        }
        // The pool is now full (6 x 500m + 2 x 500m = 4): one more is refused.
        create(Container.class, """
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata: {name: over, namespace: stay}
                spec:
                  pool: steady
                  image: busybox:1.37
                  cpu: {reservation: 500m, limit: "1"}
                """);
        eventually(() -> {
            assertThat(client.pods().inNamespace("stay").list().getItems()).hasSize(6);
            assertThat(client.genericKubernetesResources(KUBEVIRT_VMS).inNamespace("stay").list().getItems())
                    .hasSize(2);
            assertThat(condition(container("stay", "over").getStatus().getConditions(), "Admitted").getReason())
                    .isEqualTo("InsufficientReservation");
        });
        Map<String, String> podUids = podUids();
        Map<String, String> vmUids = kubeVirtUids();
        Map<String, String> nodes = admittedNodes();
        Map<String, String> since = admittedSince();
        assertThat(nodes).hasSize(8);

        stopOperator();
        // While it is away: the pool shrinks below what its workloads hold, "over" goes, a newcomer comes.
        client.resources(ResourcePool.class).withName("steady").edit(p -> {
            p.getSpec().getCpu().setReservation(new io.fabric8.kubernetes.api.model.Quantity("3"));
            return p;
        });
        client.resources(Container.class).inNamespace("stay").withName("over").delete();
        create(Container.class, """
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata: {name: newcomer, namespace: stay}
                spec:
                  pool: steady
                  image: busybox:1.37
                  cpu: {reservation: 100m, limit: 100m}
                """);
        // The new instance also elects itself leader on a Lease, as a replica of the Deployment does.
        operator = new io.respool.operator.RespoolOperator(client, options().withLeaderElection(true, "default"));
        operator.start();
        eventually(() -> assertThat(client.leases().inNamespace("default").withName("respool-operator").get()
                .getSpec().getHolderIdentity()).isNotEmpty());

        eventually(() -> {
            Container newcomer = container("stay", "newcomer");
            Condition admitted = condition(newcomer.getStatus().getConditions(), "Admitted");
            assertThat(admitted.getStatus()).isEqualTo("False");
            assertThat(admitted.getReason()).isEqualTo("InsufficientReservation");
            ResourcePool steady = pool("steady");
            assertThat(steady.getStatus().getObservedGeneration()).isEqualTo(steady.getMetadata().getGeneration());
            assertThat(steady.getStatus().getResources().get("cpu").getUsed())
                    .isEqualTo(new io.fabric8.kubernetes.api.model.Quantity("4"));
        });
        // Let the restarted operator settle, then compare: the same Pods and VMs, the same admissions.
        long runs = operator.planner().runs();
        eventually(() -> assertThat(operator.planner().runs()).isGreaterThanOrEqualTo(runs));
        sleep(2000);
        assertThat(podUids()).isEqualTo(podUids);
        assertThat(kubeVirtUids()).isEqualTo(vmUids);
        assertThat(admittedNodes()).isEqualTo(nodes);
        assertThat(admittedSince()).isEqualTo(since);
        assertThat(client.pods().inNamespace("stay").withName("newcomer").get()).isNull();
    }

    private Map<String, String> podUids() {
        return client.pods().inNamespace("stay").list().getItems().stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), (Pod p) -> p.getMetadata().getUid()));
    }

    private Map<String, String> kubeVirtUids() {
        return client.genericKubernetesResources(KUBEVIRT_VMS).inNamespace("stay").list().getItems().stream()
                .collect(Collectors.toMap(v -> v.getMetadata().getName(),
                        (GenericKubernetesResource v) -> v.getMetadata().getUid()));
    }

    /** Workload → node, for the admitted ones. */
    private Map<String, String> admittedNodes() {
        Map<String, String> result = new HashMap<>();
        for (Container c : client.resources(Container.class).inNamespace("stay").list().getItems()) {
            if (c.getStatus() != null && "True".equals(status(c.getStatus().getConditions()))) {
                result.put("Container/" + c.getMetadata().getName(), c.getStatus().getNode());
            }
        }
        for (VirtualMachine v : client.resources(VirtualMachine.class).inNamespace("stay").list().getItems()) {
            if (v.getStatus() != null && "True".equals(status(v.getStatus().getConditions()))) {
                result.put("VirtualMachine/" + v.getMetadata().getName(), v.getStatus().getNode());
            }
        }
        return result;
    }

    /** Workload → lastTransitionTime of its Admitted condition: unchanged means never flapped. */
    private Map<String, String> admittedSince() {
        Map<String, String> result = new HashMap<>();
        for (Container c : client.resources(Container.class).inNamespace("stay").list().getItems()) {
            Condition a = condition(c.getStatus() == null ? List.of() : c.getStatus().getConditions(), "Admitted");
            if (a != null && "True".equals(a.getStatus())) {
                result.put(c.getMetadata().getName(), a.getLastTransitionTime());
            }
        }
        return result;
    }

    private static String status(List<Condition> conditions) {
        Condition c = condition(conditions, "Admitted");
        return c == null ? null : c.getStatus();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
