package io.respool.engine;

import io.respool.bench.LargeCluster;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Set;

/**
 * Where a full recompute of {@link LargeCluster} spends its time: the steps of {@link Computation}
 * run one by one and timed in thread CPU time, which leaves out garbage collection and any time
 * the thread is off the core, so two engines compare more steadily than by JMH's wall clock on a
 * shared machine. A diagnostic beside {@code EngineBenchmark}, not a replacement: the targets are
 * JMH's figures. It lives in the engine's package to reach the steps, which are package-private.
 *
 * <pre>taskset -c 1 java -Xmx4g -Xms4g -cp operator/benchmarks/target/benchmarks.jar \
 *     io.respool.engine.PhaseTimer [steady|fresh] [warmup runs] [measured runs]</pre>
 */
public final class PhaseTimer {

    private static final String[] STEPS = {"tree and nodes", "workloads", "admission", "demand",
        "entitlements and caps", "node targets", "plan view"};

    private PhaseTimer() {
    }

    public static void main(String[] args) {
        boolean fresh = args.length > 0 && args[0].equals("fresh");
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : (fresh ? 3 : 40);
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : (fresh ? 5 : 30);
        ClusterSpec input = LargeCluster.generate();
        if (!fresh) {
            input = LargeCluster.steadyState(input, Engine.compute(input));
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long[][] took = new long[STEPS.length + 1][runs];
        for (int run = 0; run < warmup + runs; run++) {
            long[] at = new long[STEPS.length + 1];
            at[0] = cpu.getCurrentThreadCpuTime();
            PoolTree tree = new PoolTree(input.pools());
            Placement placement = new Placement(input.nodes());
            Set<Dimension> dimensions = Computation.dimensionsInPlay(input);
            long[] capacity = new long[Dimension.values().length];
            for (Dimension d : Dimension.values()) {
                capacity[d.ordinal()] = placement.capacity(d);
            }
            at[1] = cpu.getCurrentThreadCpuTime();
            Workloads workloads = new Workloads(input, tree);
            at[2] = cpu.getCurrentThreadCpuTime();
            Admission admission = new Admission(tree, placement, dimensions, capacity, workloads);
            admission.admit();
            at[3] = cpu.getCurrentThreadCpuTime();
            Entitlements entitlements = new Entitlements(tree, placement, capacity, workloads, admission);
            entitlements.computeDemand();
            at[4] = cpu.getCurrentThreadCpuTime();
            Caps caps = new Caps(tree, workloads, admission, entitlements);
            Computation.entitlementsAndCaps(tree, entitlements, caps);
            at[5] = cpu.getCurrentThreadCpuTime();
            entitlements.computeNodeTargets();
            at[6] = cpu.getCurrentThreadCpuTime();
            new PlanView(tree, placement, dimensions, capacity, workloads, admission, entitlements, caps).assemble();
            at[7] = cpu.getCurrentThreadCpuTime();
            if (run >= warmup) {
                for (int s = 0; s < STEPS.length; s++) {
                    took[s][run - warmup] = at[s + 1] - at[s];
                }
                took[STEPS.length][run - warmup] = at[STEPS.length] - at[0];
            }
        }
        System.out.printf("%s recompute, median thread CPU ms over %d runs after %d warmup:%n",
                fresh ? "fresh" : "steady", runs, warmup);
        for (int s = 0; s <= STEPS.length; s++) {
            Arrays.sort(took[s]);
            System.out.printf("  %-21s %8.1f%n", s < STEPS.length ? STEPS[s] : "total", took[s][runs / 2] / 1e6);
        }
    }
}
