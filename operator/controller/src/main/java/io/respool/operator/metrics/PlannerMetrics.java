package io.respool.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.respool.engine.WorkloadStatus;
import io.respool.operator.planning.PlanResult;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * respool's own meters, without per-object labels: engine runs and their duration, pools, nodes,
 * and workloads by admission state.
 */
public final class PlannerMetrics {

    private final Timer recompute;
    private final Counter runs;
    private final AtomicLong pools = new AtomicLong();
    private final AtomicLong nodes = new AtomicLong();
    private final AtomicLong admitted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong stopped = new AtomicLong();

    public PlannerMetrics(MeterRegistry registry) {
        recompute = Timer.builder("respool.recompute.duration")
                .description("One engine run over the whole cluster: snapshot, translation, engine, views")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        runs = Counter.builder("respool.recomputes").description("Engine runs").register(registry);
        Gauge.builder("respool.pools", pools, AtomicLong::get).description("ResourcePools").register(registry);
        Gauge.builder("respool.nodes", nodes, AtomicLong::get).description("Nodes in the plan").register(registry);
        Gauge.builder("respool.workloads", admitted, AtomicLong::get).tag("state", "admitted")
                .description("Workloads by admission state").register(registry);
        Gauge.builder("respool.workloads", refused, AtomicLong::get).tag("state", "refused")
                .description("Workloads by admission state").register(registry);
        Gauge.builder("respool.workloads", stopped, AtomicLong::get).tag("state", "stopped")
                .description("Workloads by admission state").register(registry);
    }

    public void recorded(PlanResult result, Duration took) {
        recompute.record(took);
        runs.increment();
        pools.set(result.pools().size());
        nodes.set(result.nodes().size());
        long a = 0;
        long r = 0;
        long s = 0;
        for (PlanResult.WorkloadView w : result.workloads().values()) {
            WorkloadStatus st = w.status();
            if (st != null && st.admitted()) {
                a++;
            } else if (st != null && "NotRunning".equals(st.reason())) {
                s++;
            } else {
                r++;
            }
        }
        admitted.set(a);
        refused.set(r);
        stopped.set(s);
    }
}
