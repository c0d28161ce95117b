package io.respool.bench;

import io.respool.engine.ClusterSpec;
import io.respool.engine.Engine;
import io.respool.engine.EngineState;
import io.respool.engine.NodePlan;
import io.respool.engine.Plan;
import io.respool.engine.PoolStatus;
import io.respool.engine.WorkloadSpec;
import io.respool.engine.WorkloadStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The engine at the architecture's target size (100k workloads, 10k pools, 5k nodes, all six
 * dimensions): a full recompute from scratch, a full recompute in the operator's steady state
 * (every workload already admitted and placed), and one changed workload through the incremental
 * {@link EngineState}. Targets: ≤ 100 ms and ≤ 1 ms on one core. How to run: docs/benchmarks.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Xms4g"})
@Warmup(iterations = 5, time = 5)
@Measurement(iterations = 10, time = 5)
public class EngineBenchmark {

    /** The large cluster, with every workload new, and its steady state. Built once per fork. */
    @State(Scope.Benchmark)
    public static class Cluster {
        ClusterSpec fresh;
        ClusterSpec steady;

        @Setup(Level.Trial)
        public void build() {
            fresh = LargeCluster.generate();
            steady = LargeCluster.steadyState(fresh, Engine.compute(fresh));
        }
    }

    /**
     * The incremental engine on the steady state, and changes to feed it: admitted workloads
     * whose measured cpu demand flips between two values on every call, so that every call is a
     * real change (the most frequent event: the node agent reports demand).
     */
    @State(Scope.Benchmark)
    public static class Incremental {
        EngineState state;
        List<WorkloadSpec[]> changes;
        int next;

        @Setup(Level.Trial)
        public void prepare(Cluster cluster) {
            state = Engine.prepare(cluster.steady);
            Plan plan = state.plan();
            Random rnd = new Random(LargeCluster.SEED);
            List<WorkloadStatus> statuses = plan.workloads();
            changes = new ArrayList<>();
            while (changes.size() < 64) {
                int i = rnd.nextInt(statuses.size());
                if (!statuses.get(i).admitted()) {
                    continue;
                }
                WorkloadSpec w = cluster.steady.workloads().get(i);
                changes.add(new WorkloadSpec[] {LargeCluster.withCpuDemand(w, 150), LargeCluster.withCpuDemand(w, 1850)});
            }
        }
    }

    /** (a) Full recompute, every workload new: admission and placement from scratch. */
    @Benchmark
    public Plan fullRecomputeFresh(Cluster cluster) {
        return Engine.compute(cluster.fresh);
    }

    /** (b) Full recompute in steady state: workloads carry admitted=true and their node. */
    @Benchmark
    public Plan fullRecomputeSteady(Cluster cluster) {
        return Engine.compute(cluster.steady);
    }

    /**
     * (b') The same, reading every status of the plan, as the CLI does and as the operator does
     * when it starts: the plan may build statuses on access, so (b) alone could flatter it.
     */
    @Benchmark
    public void fullRecomputeSteadyAllStatuses(Cluster cluster, Blackhole bh) {
        Plan plan = Engine.compute(cluster.steady);
        for (PoolStatus p : plan.pools()) {
            bh.consume(p.dimensions());
        }
        for (WorkloadStatus w : plan.workloads()) {
            bh.consume(w.dimensions());
            bh.consume(w.message());
        }
        for (NodePlan n : plan.nodes()) {
            bh.consume(n.workloads());
        }
    }

    /** (c) One changed workload (its measured cpu demand) through the incremental engine. */
    @Benchmark
    public EngineState.Update oneChangedWorkload(Incremental inc) {
        int k = inc.next++;
        WorkloadSpec[] pair = inc.changes.get(k % inc.changes.size());
        return inc.state.updateWorkload(pair[(k / inc.changes.size()) % 2]);
    }
}
