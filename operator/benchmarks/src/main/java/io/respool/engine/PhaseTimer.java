package io.respool.engine;

import io.respool.bench.LargeCluster;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Set;

/**
 * Where a full recompute of {@link LargeCluster} spends its time: the steps of {@link Computation}
 * run one by one, then every status of the plan read (as {@code fullRecomputeSteadyAllStatuses}
 * reads them), each timed in thread CPU time, which leaves out garbage collection and any time
 * the thread is off the core, so two engines compare more steadily than by JMH's wall clock on a
 * shared machine. A diagnostic beside {@code EngineBenchmark}, not a replacement: the targets are
 * JMH's figures. It lives in the engine's package to reach the steps, which are package-private.
 *
 * <pre>taskset -c 1 java -Xmx4g -Xms4g -cp operator/benchmarks/target/benchmarks.jar \
 *     io.respool.engine.PhaseTimer [steady|fresh] [warmup runs] [measured runs]</pre>
 */
public final class PhaseTimer {

    private static final String[] STEPS = {"tree and nodes", "workloads", "admission", "demand",
        "entitlements and caps", "node targets", "plan view",
        "read pool statuses", "read workload statuses", "read node plans"};
    /** The steps of the recompute itself; the others read the plan as the CLI and the operator do. */
    private static final int RECOMPUTE_STEPS = 7;
    private static long sink;

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
        long[][] took = new long[STEPS.length + 2][runs];
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
            Plan plan = new PlanView(tree, placement, dimensions, capacity, workloads, admission, entitlements, caps)
                    .assemble();
            at[7] = cpu.getCurrentThreadCpuTime();
            for (PoolStatus p : plan.pools()) {
                sink += p.dimensions().size();
            }
            at[8] = cpu.getCurrentThreadCpuTime();
            for (WorkloadStatus w : plan.workloads()) {
                sink += w.dimensions().size() + w.message().length();
            }
            at[9] = cpu.getCurrentThreadCpuTime();
            for (NodePlan n : plan.nodes()) {
                sink += n.workloads().size();
            }
            at[10] = cpu.getCurrentThreadCpuTime();
            if (run >= warmup) {
                for (int s = 0; s < STEPS.length; s++) {
                    took[s][run - warmup] = at[s + 1] - at[s];
                }
                took[STEPS.length][run - warmup] = at[RECOMPUTE_STEPS] - at[0];
                took[STEPS.length + 1][run - warmup] = at[STEPS.length] - at[0];
            }
        }
        System.out.printf("%s recompute, median thread CPU ms over %d runs after %d warmup:%n",
                fresh ? "fresh" : "steady", runs, warmup);
        for (int s = 0; s < took.length; s++) {
            Arrays.sort(took[s]);
            String step = s < STEPS.length ? STEPS[s] : s == STEPS.length ? "total recompute" : "total, all read";
            System.out.printf("  %-22s %8.1f%n", step, took[s][runs / 2] / 1e6);
        }
    }
}
