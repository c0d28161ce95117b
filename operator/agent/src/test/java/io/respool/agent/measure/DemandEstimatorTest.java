package io.respool.agent.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemandEstimatorTest {

    static final long S = 1_000_000_000L;

    static CgroupSample cpu(long at, long usage, long throttled, Long runDelay) {
        return new CgroupSample(at, usage, 0L, 0L, throttled, null, runDelay, 100L << 20, 20L << 20, 0L, 0L, 0L);
    }

    @Test
    void aThreadThrottledHalfTheTimeDemandsAWholeCpu() {
        DemandEstimator d = new DemandEstimator(60);
        d.update(null, cpu(0, 0, 0, null));
        Demand demand = d.update(cpu(0, 0, 0, null), cpu(10 * S, 5 * S, 5 * S, null));
        assertThat(demand.cpuMillicores()).isEqualTo(1000);
        assertThat(demand.memoryBytes()).isEqualTo(80L << 20);
    }

    @Test
    void runDelayCountsAsUnmetDemandWithoutDoubleCountingThrottling() {
        DemandEstimator d = new DemandEstimator(60);
        Demand demand = d.update(cpu(0, 0, 0, 0L), cpu(S, S / 4, S / 2, 3 * S / 4));
        assertThat(demand.cpuMillicores()).isEqualTo(1000);
    }

    @Test
    void demandIsSmoothedWithTheTimeConstant() {
        DemandEstimator d = new DemandEstimator(10);
        d.update(cpu(0, 0, 0, null), cpu(S, S, 0, null)); // 1000m
        Demand later = d.update(cpu(S, S, 0, null), cpu(11 * S, S, 0, null)); // idle for τ
        // 1000 + (1 - e^-1) · (0 - 1000) = 368
        assertThat(later.cpuMillicores()).isEqualTo(368);
    }

    @Test
    void memoryAtItsCapIsEstimatedAnEighthHigher() {
        CgroupSample a = new CgroupSample(0, 0L, 0L, 0L, 0L, null, null, 64L << 20, 0L, 3L, 0L, 0L);
        CgroupSample b = new CgroupSample(S, 0L, 0L, 0L, 0L, null, null, 64L << 20, 0L, 9L, 0L, 0L);
        assertThat(new DemandEstimator(60).update(a, b).memoryBytes()).isEqualTo(72L << 20);
    }
}
