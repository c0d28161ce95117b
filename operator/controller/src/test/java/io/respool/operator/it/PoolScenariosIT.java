package io.respool.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.respool.api.Container;
import io.respool.api.ResourcePool;
import io.respool.api.VirtualMachine;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pool semantics end to end: shares, expandable reservations, narrowed limits, tenants, deletion. */
class PoolScenariosIT extends ClusterTestSupport {

    @Override
    protected void setUpCluster() {
        node("pool-node-1", "16", "64Gi", Map.of());
        node("pool-node-2", "16", "64Gi", Map.of());
        // The classic example's host: one CPU, KubeVirt-capable, reached through the pool's node selector.
        node("classic-host", "1", "8Gi", Map.of("kubevirt.io/schedulable", "true", "respool.test/host", "classic"));
        namespace("classic", Map.of());
        namespace("borrow", Map.of());
        namespace("tenant-b", Map.of("tenant", "b"));
        namespace("intruder", Map.of("tenant", "c"));
        namespace("doom", Map.of());
    }

    @Test
    void classicSharesSplitOneBusyCpuAs250m250m500m() {
        create(ResourcePool.class, """
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: classic}
                spec:
                  nodeSelector: {respool.test/host: classic}
                  cpu: {limit: "1"}
                """);
        for (String[] vm : new String[][] {{"vm-1", "normal"}, {"vm-2", "normal"}, {"vm-3", "high"}}) {
            create(VirtualMachine.class, """
                    apiVersion: respool.io/v1alpha1
                    kind: VirtualMachine
                    metadata: {name: %s, namespace: classic}
                    spec:
                      pool: classic
                      cpu: {vcpus: 1, shares: %s}
                      memory: {size: 1Gi}
                      disks: [{name: root, image: quay.io/containerdisks/fedora:41}]
                    """.formatted(vm[0], vm[1]));
        }
        eventually(() -> {
            assertThat(entitlement("vm-1")).isEqualTo(new Quantity("250m"));
            assertThat(entitlement("vm-2")).isEqualTo(new Quantity("250m"));
            assertThat(entitlement("vm-3")).isEqualTo(new Quantity("500m"));
        });
        VirtualMachine vm3 = virtualMachine("classic", "vm-3");
        assertThat(vm3.getStatus().getResources().get("cpu").getShares()).isEqualTo(2000L);
        assertThat(vm3.getStatus().getNode()).isEqualTo("classic-host");
        assertThat(condition(vm3.getStatus().getConditions(), "Admitted").getStatus()).isEqualTo("True");
        // No KubeVirt in this cluster: admitted and placed, but not ready, and saying why.
        Condition ready = condition(vm3.getStatus().getConditions(), "Ready");
        assertThat(ready.getStatus()).isEqualTo("False");
        assertThat(ready.getReason()).isEqualTo("KubeVirtNotInstalled");
        eventually(() -> assertThat(pool("classic").getStatus().getResources().get("cpu").getEntitlement())
                .isEqualTo(new Quantity("1")));
    }

    private Quantity entitlement(String vm) {
        VirtualMachine v = virtualMachine("classic", vm);
        return v.getStatus() == null || v.getStatus().getResources().get("cpu") == null ? null
                : v.getStatus().getResources().get("cpu").getEntitlement();
    }

    @Test
    void expandablePoolBorrowsFromItsParentThenRefusesWithTheNumbers() {
        create(ResourcePool.class, """
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: tenant-a}
                spec:
                  cpu: {reservation: "4", expandableReservation: false}
                """);
        create(ResourcePool.class, """
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: team-a}
                spec:
                  parent: tenant-a
                  cpu: {reservation: "1"}
                """);
        eventually(() -> assertThat(pool("team-a").getStatus()).isNotNull());
        create(Container.class, """
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata: {name: c1, namespace: borrow}
                spec:
                  pool: team-a
                  image: busybox:1.37
                  cpu: {reservation: "2", limit: "2"}
                  memory: {reservation: 64Mi, limit: 64Mi}
                """);
        eventually(() -> assertThat(condition(container("borrow", "c1").getStatus().getConditions(), "Admitted")
                .getStatus()).isEqualTo("True"));
        create(Container.class, """
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata: {name: c2, namespace: borrow}
                spec:
                  pool: team-a
                  image: busybox:1.37
                  cpu: {reservation: "3", limit: "3"}
                  memory: {reservation: 64Mi, limit: 64Mi}
                """);
        eventually(() -> {
            Container c2 = container("borrow", "c2");
            Condition admitted = condition(c2.getStatus().getConditions(), "Admitted");
            assertThat(admitted.getStatus()).isEqualTo("False");
            assertThat(admitted.getReason()).isEqualTo("InsufficientReservation");
            assertThat(admitted.getMessage()).isEqualTo("pool \"team-a\" cannot reserve cpu 3 for Container"
                    + " \"borrow/c2\": 2 available (expandable via \"tenant-a\")");
            assertThat(c2.getStatus().getPhase()).isEqualTo("Refused");
        });
        assertThat(client.pods().inNamespace("borrow").withName("c2").get()).isNull();
        // c1 reserves 2 in team-a (reservation 1): it borrowed 1 from tenant-a, which has 4 - 2 = 2 left.
        eventually(() -> {
            var team = pool("team-a").getStatus().getResources().get("cpu");
            assertThat(team.getUsed()).isEqualTo(new Quantity("2"));
            assertThat(team.getAvailable()).isEqualTo(new Quantity("2"));
            var tenant = pool("tenant-a").getStatus().getResources().get("cpu");
            assertThat(tenant.getUsed()).isEqualTo(new Quantity("2"));
            assertThat(tenant.getAvailable()).isEqualTo(new Quantity("2"));
            assertThat(pool("tenant-a").getStatus().getHealth()).isEqualTo("Valid");
        });
        eventually(() -> assertThat(client.v1().events().inNamespace("borrow").list().getItems())
                .anyMatch(e -> "c2".equals(e.getInvolvedObject().getName())
                        && "InsufficientReservation".equals(e.getReason()) && "Warning".equals(e.getType())));
    }

    @Test
    void childLimitAboveItsParentsIsNarrowedInStatus() {
        create(ResourcePool.class, """
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: capped}
                spec:
                  cpu: {limit: "2"}
                  memory: {limit: 4Gi}
                """);
        create(ResourcePool.class, """
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: wide}
                spec:
                  parent: capped
                  cpu: {limit: "8"}
                """);
        eventually(() -> {
            ResourcePool wide = pool("wide");
            assertThat(wide.getStatus().getResources().get("cpu").getEffectiveLimit()).isEqualTo(new Quantity("2"));
            assertThat(wide.getStatus().getResources().get("memory").getEffectiveLimit()).isEqualTo(new Quantity("4Gi"));
            assertThat(wide.getStatus().getObservedGeneration()).isEqualTo(wide.getMetadata().getGeneration());
            assertThat(condition(wide.getStatus().getConditions(), "Ready").getStatus()).isEqualTo("True");
        });
    }

    @Test
    void tenantWorkloadOutsideThePoolsNamespaceSelectorIsRefused() {
        create(ResourcePool.class, """
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: tenant-b-pool}
                spec:
                  namespaceSelector: {matchLabels: {tenant: b}}
                  cpu: {reservation: "2"}
                """);
        for (String ns : new String[] {"tenant-b", "intruder"}) {
            create(Container.class, """
                    apiVersion: respool.io/v1alpha1
                    kind: Container
                    metadata: {name: app, namespace: %s}
                    spec:
                      pool: tenant-b-pool
                      image: busybox:1.37
                      cpu: {reservation: 500m, limit: "1"}
                      memory: {reservation: 64Mi, limit: 128Mi}
                    """.formatted(ns));
        }
        eventually(() -> {
            assertThat(condition(container("tenant-b", "app").getStatus().getConditions(), "Admitted").getStatus())
                    .isEqualTo("True");
            Condition refused = condition(container("intruder", "app").getStatus().getConditions(), "Admitted");
            assertThat(refused.getStatus()).isEqualTo("False");
            assertThat(refused.getReason()).isEqualTo("NamespaceNotAllowed");
            assertThat(refused.getMessage()).contains("tenant-b-pool").contains("intruder");
        });
        assertThat(client.pods().inNamespace("intruder").withName("app").get()).isNull();
        eventually(() -> assertThat(client.pods().inNamespace("tenant-b").withName("app").get()).isNotNull());
    }

    @Test
    void deletingAPoolThatStillHoldsWorkloadsIsHeldUntilItIsEmpty() {
        create(ResourcePool.class, """
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: doomed}
                spec:
                  cpu: {reservation: "1"}
                """);
        create(Container.class, """
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata: {name: survivor, namespace: doom}
                spec:
                  pool: doomed
                  image: busybox:1.37
                  cpu: {reservation: 500m, limit: 500m}
                  memory: {reservation: 64Mi, limit: 64Mi}
                """);
        eventually(() -> {
            assertThat(condition(container("doom", "survivor").getStatus().getConditions(), "Admitted").getStatus())
                    .isEqualTo("True");
            assertThat(pool("doomed").getMetadata().getFinalizers()).contains("respool.io/pool-protection");
        });

        client.resources(ResourcePool.class).withName("doomed").delete();
        eventually(() -> {
            ResourcePool doomed = pool("doomed");
            assertThat(doomed).isNotNull();
            assertThat(doomed.getMetadata().getDeletionTimestamp()).isNotNull();
            Condition blocked = condition(doomed.getStatus().getConditions(), "DeletionBlocked");
            assertThat(blocked.getStatus()).isEqualTo("True");
            assertThat(blocked.getMessage()).isEqualTo("pool \"doomed\" is being deleted but still holds 1 workload"
                    + " (Container \"doom/survivor\"): delete them or move them to another pool, and the deletion"
                    + " completes");
        });
        // The admitted workload keeps its reservation while the pool is held; a newcomer is turned away.
        create(Container.class, """
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata: {name: latecomer, namespace: doom}
                spec:
                  pool: doomed
                  image: busybox:1.37
                  cpu: {reservation: 100m, limit: 100m}
                """);
        eventually(() -> {
            Condition refused = condition(container("doom", "latecomer").getStatus().getConditions(), "Admitted");
            assertThat(refused.getReason()).isEqualTo("PoolTerminating");
            assertThat(condition(container("doom", "survivor").getStatus().getConditions(), "Admitted").getStatus())
                    .isEqualTo("True");
        });

        client.resources(Container.class).inNamespace("doom").withName("survivor").delete();
        client.resources(Container.class).inNamespace("doom").withName("latecomer").delete();
        eventually(() -> assertThat(pool("doomed")).isNull());
    }
}
