package io.respool.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.respool.api.Container;
import io.respool.api.ResourcePool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A burst of new workloads costs a handful of engine runs, not one per workload. */
class BatchingIT extends ClusterTestSupport {

    private static final int WORKLOADS = 400;

    @Override
    protected void setUpCluster() {
        for (int i = 0; i < 4; i++) {
            node("b-" + i, "64", "256Gi", Map.of());
        }
        namespace("burst", Map.of());
    }

    /** The production defaults, to measure what they cost. */
    @Override
    protected io.respool.operator.OperatorOptions options() {
        return io.respool.operator.OperatorOptions.defaults().withHttpPort(0);
    }

    @Test
    void aBurstOfWorkloadsIsPlannedInAFewRuns() throws Exception {
        create(ResourcePool.class, """
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: burst}
                spec:
                  cpu: {reservation: "100", expandableReservation: false}
                """);
        eventually(() -> assertThat(pool("burst").getStatus()).isNotNull());
        long runsBefore = operator.planner().runs();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < WORKLOADS; i++) {
            int n = i;
            done.add(pool.submit(() -> create(Container.class, """
                    apiVersion: respool.io/v1alpha1
                    kind: Container
                    metadata: {name: w-%04d, namespace: burst}
                    spec:
                      pool: burst
                      image: busybox:1.37
                      cpu: {reservation: 100m, limit: 200m}
                      memory: {reservation: 16Mi, limit: 32Mi}
                    """.formatted(n))));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        Duration created = Duration.ofNanos(System.nanoTime() - start);
        await(Duration.ofMinutes(3));
        Duration planned = Duration.ofNanos(System.nanoTime() - start);
        long runs = operator.planner().runs() - runsBefore;
        System.out.printf("respool batching: %d Containers created in %d ms, all admitted with Pods after %d ms,"
                + " %d engine runs%n", WORKLOADS, created.toMillis(), planned.toMillis(), runs);
        // At most one run per minimum interval while the burst lasts, and far fewer runs than workloads.
        long bound = planned.toMillis() / operator.options().minInterval().toMillis() + 2;
        assertThat(runs).as("engine runs for %d new workloads in %d ms", WORKLOADS, planned.toMillis())
                .isLessThanOrEqualTo(bound).isLessThan(WORKLOADS / 4);
        assertThat(pool("burst").getStatus().getResources().get("cpu").getUsed())
                .isEqualTo(new io.fabric8.kubernetes.api.model.Quantity("40"));
    }

    private void await(Duration timeout) {
        org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            long admitted = client.resources(Container.class).inNamespace("burst").list().getItems().stream()
                    .filter(c -> c.getStatus() != null && c.getStatus().getConditions() != null
                            && c.getStatus().getConditions().stream().anyMatch(
                            k -> "Admitted".equals(k.getType()) && "True".equals(k.getStatus())))
                    .count();
            assertThat(admitted).isEqualTo(WORKLOADS);
            assertThat(client.pods().inNamespace("burst").list().getItems()).hasSize(WORKLOADS);
        });
    }
}
