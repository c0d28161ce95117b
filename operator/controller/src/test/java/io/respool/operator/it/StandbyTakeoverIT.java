package io.respool.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.respool.api.Container;
import io.respool.api.ResourcePool;
import io.respool.engine.WorkloadKind;
import io.respool.operator.RespoolOperator;
import io.respool.operator.cluster.WorkloadRef;
import io.respool.operator.planning.PlanResult;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Two replicas on one Lease, in this JVM. The standby (bravo) saw the Containers before they had
 * any status and placed them itself, on the only node there was then. The leader (alpha), started
 * once a second node had come, placed them its own way (spread over both), recorded that in their
 * statuses and created their Pods. alpha stops; bravo takes the Lease over once it expires and
 * must go on from what alpha recorded: the same nodes, the same admissions, the same Pods, none
 * deleted (a standby acting on its own plan would move half of them).
 */
class StandbyTakeoverIT extends ClusterTestSupport {

    private static final String NS = "takeover";
    private static final String LEASE_NAMESPACE = "default";
    private static final List<String> NAMES = IntStream.range(0, 4).mapToObj(i -> "app-" + i).toList();

    private RespoolOperator alpha;

    @Override
    protected void setUpCluster() {
        node("t-1", "8", "32Gi", Map.of());
        namespace(NS, Map.of());
        // A leader from before holds the Lease, so that bravo starts as a standby. Replicas judge
        // expiry by their own lease duration from renewTime: one an hour ahead holds until the test
        // hands the Lease to alpha.
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        client.leases().inNamespace(LEASE_NAMESPACE).resource(new LeaseBuilder()
                .withNewMetadata().withName(options().leaseName()).endMetadata()
                .withNewSpec().withHolderIdentity("previous-leader").withLeaseDurationSeconds(15)
                .withAcquireTime(now).withRenewTime(now.plusHours(1)).withLeaseTransitions(0).endSpec()
                .build()).create();
    }

    /** bravo, the standby: the class's {@link #operator}. */
    @Override
    protected void startOperator() {
        operator = new RespoolOperator(client, options().withLeaderElection(true, LEASE_NAMESPACE));
        operator.start();
    }

    @Override
    protected void stopOperator() {
        try {
            if (alpha != null) {
                alpha.close();
                alpha = null;
            }
        } finally {
            super.stopOperator();
        }
    }

    @Test
    void theNewLeaderKeepsTheNodesAndPodsThePreviousLeaderRecorded() {
        RespoolOperator bravo = operator;
        create(ResourcePool.class, """
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: team}
                spec:
                  cpu: {reservation: "5", expandableReservation: false}
                """);
        // alpha finds the pool and the Containers there when it starts, so it orders them by creation
        // time and then by name: "app-*" would come before a pool "team" created in the same second
        // (and be refused: the pool has no reservation yet at that point), so they come a second later.
        sleep(1100);
        for (String name : NAMES) {
            create(Container.class, """
                    apiVersion: respool.io/v1alpha1
                    kind: Container
                    metadata: {name: %s, namespace: %s}
                    spec:
                      pool: team
                      image: busybox:1.37
                      cpu: {reservation: "1", limit: "1"}
                      memory: {reservation: 256Mi, limit: 256Mi}
                    """.formatted(name, NS));
        }
        // bravo, not leading, plans them all onto t-1 and writes nothing.
        eventually(() -> assertThat(planned(bravo)).hasSize(NAMES.size()).allSatisfy((n, node) ->
                assertThat(node).isEqualTo("t-1")));
        assertThat(client.resources(Container.class).inNamespace(NS).list().getItems())
                .allSatisfy(c -> assertThat(c.getStatus()).isNull());

        // A second node; then alpha, which sees both from its start and spreads the Containers.
        node("t-2", "8", "32Gi", Map.of());
        alpha = new RespoolOperator(client, options().withLeaderElection(true, LEASE_NAMESPACE));
        alpha.start();
        // The previous leader hands the Lease to alpha.
        client.leases().inNamespace(LEASE_NAMESPACE).withName(options().leaseName()).edit(l -> {
            l.getSpec().setHolderIdentity(alpha.identity());
            l.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
            return l;
        });
        eventually(() -> {
            assertThat(alpha.leading()).isTrue();
            assertThat(recordedNodes()).hasSize(NAMES.size());
            assertThat(podUids()).hasSize(NAMES.size());
        });
        Map<String, String> recorded = recordedNodes();
        Map<String, String> pods = podUids();
        Map<String, String> admittedSince = admittedSince();
        assertThat(recorded).as("alpha placed differently from what bravo planned as a standby: the scenario")
                .containsValue("t-2");
        assertThat(bravo.leading()).isFalse();
        assertThat(leaderGauge(bravo)).isZero();
        assertThat(leaderGauge(alpha)).isEqualTo(1);

        List<String> deleted = new CopyOnWriteArrayList<>();
        try (Watch ignored = client.pods().inNamespace(NS).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
                if (action == Action.DELETED) {
                    deleted.add(pod.getMetadata().getName());
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            // alpha ends; bravo takes over when the Lease expires (its duration, 15 s, after alpha's last renewal).
            alpha.close();
            alpha = null;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(bravo.leading()).isTrue());
            assertThat(holder()).isEqualTo(bravo.identity());
            assertThat(leaderGauge(bravo)).isEqualTo(1);

            // bravo reconciles: a newcomer is admitted and gets its Pod.
            create(Container.class, """
                    apiVersion: respool.io/v1alpha1
                    kind: Container
                    metadata: {name: late, namespace: %s}
                    spec:
                      pool: team
                      image: busybox:1.37
                      cpu: {reservation: "1", limit: "1"}
                      memory: {reservation: 256Mi, limit: 256Mi}
                    """.formatted(NS));
            eventually(() -> {
                assertThat(client.pods().inNamespace(NS).withName("late").get()).isNotNull();
                assertThat(container(NS, "late").getStatus().getNode()).isNotNull();
            });
            sleep(2000);

            Map<String, String> nodesNow = recordedNodes();
            nodesNow.remove("late");
            assertThat(nodesNow).as("status.node after bravo took over").isEqualTo(recorded);
            Map<String, String> sinceNow = admittedSince();
            sinceNow.remove("late");
            assertThat(sinceNow).as("Admitted=True and its lastTransitionTime after bravo took over")
                    .isEqualTo(admittedSince);
            Map<String, String> podsNow = podUids();
            podsNow.remove("late");
            assertThat(podsNow).as("the Pods alpha created (name to UID)").isEqualTo(pods);
            assertThat(deleted).as("Pods deleted after alpha stopped").isEmpty();
            Map<String, String> bravoPlans = planned(bravo);
            bravoPlans.remove("late");
            assertThat(bravoPlans).as("bravo's plan").isEqualTo(recorded);
        }
    }

    /** Container name to the node the operator's latest plan admits it on. */
    private static Map<String, String> planned(RespoolOperator replica) {
        PlanResult plan = replica.planner().latest();
        Map<String, String> result = new TreeMap<>();
        if (plan == null) {
            return result;
        }
        for (PlanResult.WorkloadView view : plan.workloads().values()) {
            if (view.ref().kind() == WorkloadKind.CONTAINER && NS.equals(view.ref().namespace())
                    && view.status() != null && view.status().admitted()) {
                result.put(view.ref().name(), view.status().node());
            }
        }
        return result;
    }

    /** Container name to status.node, for those whose status says Admitted=True. */
    private Map<String, String> recordedNodes() {
        Map<String, String> result = new TreeMap<>();
        for (Container c : client.resources(Container.class).inNamespace(NS).list().getItems()) {
            Condition admitted = c.getStatus() == null ? null : condition(c.getStatus().getConditions(), "Admitted");
            if (admitted != null && "True".equals(admitted.getStatus())) {
                result.put(c.getMetadata().getName(), c.getStatus().getNode());
            }
        }
        return result;
    }

    /** Container name to the lastTransitionTime of Admitted=True: unchanged means never flapped. */
    private Map<String, String> admittedSince() {
        Map<String, String> result = new TreeMap<>();
        for (Container c : client.resources(Container.class).inNamespace(NS).list().getItems()) {
            Condition admitted = c.getStatus() == null ? null : condition(c.getStatus().getConditions(), "Admitted");
            if (admitted != null && "True".equals(admitted.getStatus())) {
                result.put(c.getMetadata().getName(), admitted.getLastTransitionTime());
            }
        }
        return result;
    }

    private Map<String, String> podUids() {
        return client.pods().inNamespace(NS).list().getItems().stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid(), (a, b) -> a,
                        TreeMap::new));
    }

    private String holder() {
        Lease lease = client.leases().inNamespace(LEASE_NAMESPACE).withName(options().leaseName()).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The replica's {@code respool_leader} gauge. */
    private static double leaderGauge(RespoolOperator replica) {
        return replica.registry().get("respool.leader").gauge().value();
    }
}
