package io.respool.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.respool.operator.cluster.ClusterSnapshot;
import io.respool.operator.metrics.PlannerMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The planner's batching: many changes, few engine runs; a lone change planned promptly. */
class PlannerTest {

    private static final ClusterSnapshot EMPTY = new ClusterSnapshot(List.of(), List.of(), List.of(), List.of(),
            List.of(), Map.of(), Map.of(), Map.of(), Map.of(), false);

    @Test
    void aBurstOfChangesCostsAFewRunsNotOnePerChange() throws InterruptedException {
        AtomicInteger snapshots = new AtomicInteger();
        try (Planner planner = new Planner(() -> {
            snapshots.incrementAndGet();
            return EMPTY;
        }, new PlannerMetrics(new SimpleMeterRegistry()), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200))) {
            planner.start();
            assertThat(planner.runs()).isEqualTo(1);
            long end = System.nanoTime() + Duration.ofMillis(600).toNanos();
            int changes = 0;
            while (System.nanoTime() < end) {
                for (int i = 0; i < 100; i++) {
                    planner.markDirty();
                    changes++;
                }
                Thread.sleep(1);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> !plannerBusy(planner, snapshots));
            long runs = planner.runs() - 1;
            // 600 ms of continuous changes with a 200 ms max delay: about 3 runs, one more for the tail.
            assertThat(changes).isGreaterThan(10_000);
            assertThat(runs).isBetween(2L, 8L);
        }
    }

    private static boolean plannerBusy(Planner planner, AtomicInteger snapshots) throws InterruptedException {
        int before = snapshots.get();
        Thread.sleep(300);
        return snapshots.get() != before;
    }

    @Test
    void aTrickleSlowerThanTheQuietPeriodIsStillBatchedByTheMinimumInterval() throws InterruptedException {
        try (Planner planner = new Planner(() -> EMPTY, new PlannerMetrics(new SimpleMeterRegistry()),
                Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(1))) {
            planner.start();
            for (int i = 0; i < 40; i++) {
                planner.markDirty();
                Thread.sleep(30);
            }
            await().atMost(Duration.ofSeconds(3)).pollDelay(Duration.ofMillis(500)).until(() -> true);
            // 40 changes 30 ms apart (1.2 s): one run per 200 ms at most, not 40.
            assertThat(planner.runs() - 1).isBetween(2L, 10L);
        }
    }

    @Test
    void aLoneChangeIsPlannedWithinTheQuietPeriod() {
        try (Planner planner = new Planner(() -> EMPTY, new PlannerMetrics(new SimpleMeterRegistry()),
                Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(1))) {
            planner.start();
            long start = System.nanoTime();
            planner.markDirty();
            await().atMost(Duration.ofSeconds(2)).until(() -> planner.runs() == 2);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        }
    }

    @Test
    void listenersSeeThePreviousAndTheNextResult() {
        try (Planner planner = new Planner(() -> EMPTY, new PlannerMetrics(new SimpleMeterRegistry()),
                Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(50))) {
            AtomicInteger calls = new AtomicInteger();
            planner.addListener((previous, next) -> {
                assertThat(next.sequence()).isEqualTo(previous == null ? 1 : previous.sequence() + 1);
                calls.incrementAndGet();
            });
            planner.start();
            planner.markDirty();
            await().atMost(Duration.ofSeconds(2)).until(() -> calls.get() == 2);
            assertThat(planner.latest().sequence()).isEqualTo(2);
        }
    }
}
