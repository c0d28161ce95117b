package io.respool.bench;

import io.respool.engine.Allocation;
import io.respool.engine.ClusterSpec;
import io.respool.engine.Dimension;
import io.respool.engine.NodeSpec;
import io.respool.engine.Plan;
import io.respool.engine.PoolSpec;
import io.respool.engine.Quantities;
import io.respool.engine.Shares;
import io.respool.engine.WorkloadKind;
import io.respool.engine.WorkloadSpec;
import io.respool.engine.WorkloadStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A deterministic (fixed seed) large cluster for the engine benchmarks: by default 100,000
 * workloads (40 % VMs, 60 % Containers), 10,000 pools in four levels (20 departments, 200 teams,
 * 2,000 projects, 7,780 sub-projects) and 5,000 nodes (40 % KubeVirt-capable, five zones, 1 % not
 * Ready). All six dimensions are set on a good fraction of the objects: cpu and memory on most,
 * disk and network on about half; about a third of the workloads carry measured demand.
 */
public final class LargeCluster {

    public static final long SEED = 20261126L;
    static final long MIB = 1024L * 1024;
    static final long GIB = 1024 * MIB;
    static final String[] ZONES = {"a", "b", "c", "d", "e"};
    static final String[] NAMESPACES = new String[50];

    static {
        for (int i = 0; i < NAMESPACES.length; i++) {
            NAMESPACES[i] = "tenant-" + i;
        }
    }

    private LargeCluster() {
    }

    /** The default size: 100k workloads, 10k pools, 5k nodes. */
    public static ClusterSpec generate() {
        return generate(100_000, 10_000, 5_000, SEED);
    }

    /**
     * @param workloads number of workloads
     * @param pools     number of pools (at least 40): levels of 0.2 %, 2 %, 20 %, rest
     * @param nodes     number of nodes
     */
    public static ClusterSpec generate(int workloads, int pools, int nodes, long seed) {
        Random rnd = new Random(seed);
        List<NodeSpec> nodeList = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) {
            nodeList.add(node(rnd, i));
        }

        int l1 = Math.max(2, pools / 500);
        int l2 = Math.max(4, pools / 50);
        int l3 = Math.max(8, pools / 5);
        int l4 = pools - l1 - l2 - l3;
        List<PoolSpec> poolList = new ArrayList<>(pools);
        List<String> leaves = new ArrayList<>();
        int order = 0;
        double perLeaf = 0.98 * workloads / (l3 + l4);
        for (int i = 0; i < l1; i++) {
            poolList.add(pool(rnd, "dept-" + i, null, 1, order++, (double) workloads / l1));
        }
        for (int i = 0; i < l2; i++) {
            poolList.add(pool(rnd, "team-" + i, "dept-" + (i % l1), 2, order++, (double) workloads / l2));
        }
        for (int i = 0; i < l3; i++) {
            String name = "proj-" + i;
            poolList.add(pool(rnd, name, "team-" + (i % l2), 3, order++, perLeaf * (1.0 + (double) l4 / l3)));
            leaves.add(name);
        }
        for (int i = 0; i < l4; i++) {
            String name = "sub-" + i;
            poolList.add(pool(rnd, name, "proj-" + (i % l3), 4, order++, perLeaf));
            leaves.add(name);
        }

        List<WorkloadSpec> workloadList = new ArrayList<>(workloads);
        for (int i = 0; i < workloads; i++) {
            // 98 % in a level-3/4 pool, 1 % in a team pool, 1 % in the root.
            int where = rnd.nextInt(100);
            String pool = where == 0 ? null : where == 1 ? "team-" + rnd.nextInt(l2)
                    : leaves.get(rnd.nextInt(leaves.size()));
            workloadList.add(workload(rnd, i, pool, 100_000L + i));
        }
        Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
        for (int i = 0; i < NAMESPACES.length; i++) {
            namespaceLabels.put(NAMESPACES[i], Map.of("kubernetes.io/metadata.name", NAMESPACES[i],
                    "tier", i % 5 == 0 ? "gold" : "standard"));
        }
        return new ClusterSpec(poolList, workloadList, nodeList, namespaceLabels);
    }

    static NodeSpec node(Random rnd, int i) {
        Map<String, String> labels = new HashMap<>();
        labels.put("topology.kubernetes.io/zone", ZONES[i % ZONES.length]);
        labels.put("kubernetes.io/hostname", name("node-", i));
        if (rnd.nextInt(10) < 4) {
            labels.put(NodeSpec.KUBEVIRT_LABEL, "true");
        }
        if (rnd.nextInt(10) == 0) {
            labels.put("disktype", "ssd");
        }
        int cores = 32 << rnd.nextInt(3);                 // 32, 64 or 128 cores
        Map<Dimension, Long> alloc = new EnumMap<>(Dimension.class);
        alloc.put(Dimension.CPU, cores * 1000L - 500);
        alloc.put(Dimension.MEMORY, cores * 4 * GIB - 2 * GIB);
        alloc.put(Dimension.DISK_IOPS, 20_000L + 1000L * rnd.nextInt(40));
        alloc.put(Dimension.DISK_BANDWIDTH, (500L + 50 * rnd.nextInt(20)) * MIB);
        alloc.put(Dimension.NETWORK_EGRESS, 10_000_000_000L);
        alloc.put(Dimension.NETWORK_INGRESS, 10_000_000_000L);
        Map<Dimension, Long> other = new EnumMap<>(Dimension.class);
        other.put(Dimension.CPU, 200L + 100 * rnd.nextInt(10));        // daemons, kubelet
        other.put(Dimension.MEMORY, (1L + rnd.nextInt(4)) * GIB);
        boolean ready = rnd.nextInt(100) != 0;
        return new NodeSpec(name("node-", i), labels, ready, true, alloc, other);
    }

    /**
     * A pool at {@code level} expected to hold about {@code load} workloads in its subtree. A
     * workload reserves about 1.2 cores and 3 GiB on average, so reservations and limits are
     * scaled by the load: departments reserve 0.8 to 1.5 times what their subtree will ask, teams
     * up to half of it, projects and sub-projects little; a quarter of the departments and teams
     * are fixed; a third of all pools are limited at 1.5 to 3.5 times their expected load, so some
     * workloads are refused, as in a real cluster.
     */
    static PoolSpec pool(Random rnd, String name, String parent, int level, int order, double load) {
        Map<Dimension, Allocation> a = new EnumMap<>(Dimension.class);
        double expectedCpu = load * 1200;                // millicores
        // A quarter of the departments and teams have fixed reservations, sized 1.1 to 1.5 times
        // what their subtree is expected to ask; the others are expandable.
        boolean fixed = level <= 2 && rnd.nextInt(4) == 0;
        long cpuR = fixed ? (long) (expectedCpu * (1.1 + 0.1 * rnd.nextInt(5))) : switch (level) {
            case 1 -> (long) (expectedCpu * (0.8 + 0.1 * rnd.nextInt(8)));
            case 2 -> (long) (expectedCpu * 0.1 * rnd.nextInt(6));
            case 3 -> rnd.nextInt(3) == 0 ? (long) (expectedCpu * 0.5) : 0;
            default -> rnd.nextInt(5) == 0 ? 500L * rnd.nextInt(3) : 0;
        };
        cpuR = cpuR / 100 * 100;
        long memR = cpuR / 100 * 256 * MIB;              // 2.5 GiB per core
        boolean limited = rnd.nextInt(3) == 0;
        double headroom = 1.5 + 0.5 * rnd.nextInt(5);
        long cpuL = Math.max(cpuR, (long) (expectedCpu * headroom) / 100 * 100 + 8000);
        long memL = Math.max(memR, (long) (expectedCpu * headroom) / 100 * 256 * MIB + 32 * GIB);
        a.put(Dimension.CPU, new Allocation(cpuR, limited ? cpuL : Quantities.UNLIMITED, shares(rnd, true), !fixed));
        a.put(Dimension.MEMORY, new Allocation(memR, limited ? memL : Quantities.UNLIMITED, shares(rnd, true), !fixed));
        // Disk and network: a workload reserves about 115 IOPS and 12.5 Mbit/s egress on average.
        if (rnd.nextBoolean()) {
            a.put(Dimension.DISK_IOPS, new Allocation(level == 1 ? (long) (load * 60) : 0,
                    rnd.nextBoolean() ? Quantities.UNLIMITED : (long) (load * 115 * headroom) + 2000,
                    shares(rnd, false), true));
            a.put(Dimension.DISK_BANDWIDTH, new Allocation(0,
                    rnd.nextBoolean() ? Quantities.UNLIMITED : (long) (load * headroom) * 20 * MIB + 200 * MIB,
                    shares(rnd, false), true));
        }
        if (rnd.nextBoolean()) {
            a.put(Dimension.NETWORK_EGRESS, new Allocation(level == 1 ? (long) (load * 6_000_000) : 0,
                    rnd.nextBoolean() ? Quantities.UNLIMITED : (long) (load * 12_500_000 * headroom) + 1_000_000_000L,
                    shares(rnd, false), true));
            a.put(Dimension.NETWORK_INGRESS, new Allocation(0,
                    rnd.nextBoolean() ? Quantities.UNLIMITED : (long) (load * 50_000_000 * headroom) + 1_000_000_000L,
                    shares(rnd, false), true));
        }
        Map<String, String> nodeSelector = level == 2 && rnd.nextInt(20) == 0
                ? Map.of("topology.kubernetes.io/zone", ZONES[rnd.nextInt(ZONES.length)]) : Map.of();
        boolean scalable = rnd.nextInt(10) == 0;
        return new PoolSpec(name, parent, a, scalable, nodeSelector, null, order);
    }

    static Shares shares(Random rnd, boolean presetsMostly) {
        int r = rnd.nextInt(10);
        if (r < 2) {
            return Shares.LOW;
        }
        if (r < 4) {
            return Shares.HIGH;
        }
        if (r == 9 && presetsMostly) {
            return Shares.custom(1 + rnd.nextInt(10_000));
        }
        return Shares.NORMAL;
    }

    static WorkloadSpec workload(Random rnd, int i, String pool, long order) {
        boolean vm = rnd.nextInt(10) < 4;
        int vcpus = 1 << rnd.nextInt(4);                 // 1, 2, 4, 8
        long memorySize = vcpus * (2L << rnd.nextInt(2)) * GIB;
        Map<Dimension, Allocation> a = new EnumMap<>(Dimension.class);
        if (vm) {
            long cpuR = rnd.nextInt(3) == 0 ? 0 : vcpus * 250L * (1 + rnd.nextInt(4));
            a.put(Dimension.CPU, new Allocation(cpuR, Quantities.UNLIMITED, shares(rnd, true), true));
            long memR = rnd.nextInt(4) == 0 ? 0 : memorySize / (1 + rnd.nextInt(2));
            a.put(Dimension.MEMORY, new Allocation(memR, Quantities.UNLIMITED, shares(rnd, true), true));
        } else {
            long cpuR = 100L * rnd.nextInt(20);
            long cpuL = rnd.nextInt(4) == 0 ? Quantities.UNLIMITED : cpuR + 500L * (1 + rnd.nextInt(8));
            a.put(Dimension.CPU, new Allocation(cpuR, cpuL, shares(rnd, true), true));
            long memR = 128 * MIB * rnd.nextInt(16);
            long memL = rnd.nextInt(5) == 0 ? Quantities.UNLIMITED : memR + 256 * MIB * (1 + rnd.nextInt(16));
            a.put(Dimension.MEMORY, new Allocation(memR, memL, shares(rnd, true), true));
        }
        if (rnd.nextBoolean()) {
            long iopsR = 50L * rnd.nextInt(10);
            a.put(Dimension.DISK_IOPS, new Allocation(iopsR,
                    rnd.nextBoolean() ? Quantities.UNLIMITED : iopsR + 1000, shares(rnd, false), true));
            a.put(Dimension.DISK_BANDWIDTH, new Allocation(0,
                    rnd.nextBoolean() ? Quantities.UNLIMITED : 100 * MIB, shares(rnd, false), true));
        }
        if (rnd.nextBoolean()) {
            long egR = 1_000_000L * rnd.nextInt(50);
            a.put(Dimension.NETWORK_EGRESS, new Allocation(egR,
                    rnd.nextBoolean() ? Quantities.UNLIMITED : egR + 500_000_000L, shares(rnd, false), true));
            a.put(Dimension.NETWORK_INGRESS, new Allocation(0,
                    rnd.nextBoolean() ? Quantities.UNLIMITED : 1_000_000_000L, shares(rnd, false), true));
        }
        Map<Dimension, Long> demand = new EnumMap<>(Dimension.class);
        if (rnd.nextInt(3) == 0) {
            demand.put(Dimension.CPU, 50L * rnd.nextInt(vm ? vcpus * 20 : 60));
            demand.put(Dimension.MEMORY, 64 * MIB * rnd.nextInt(64));
            if (a.containsKey(Dimension.NETWORK_EGRESS)) {
                demand.put(Dimension.NETWORK_EGRESS, 1_000_000L * rnd.nextInt(400));
            }
        }
        Map<String, String> nodeSelector = rnd.nextInt(50) == 0 ? Map.of("disktype", "ssd") : Map.of();
        boolean running = rnd.nextInt(50) != 0;
        return new WorkloadSpec(vm ? WorkloadKind.VIRTUAL_MACHINE : WorkloadKind.CONTAINER,
                NAMESPACES[rnd.nextInt(NAMESPACES.length)], name(vm ? "vm-" : "ct-", i), pool,
                vm ? vcpus : 0, vm ? memorySize : 0, a, demand, nodeSelector, running, false, null, order);
    }

    static String name(String prefix, int i) {
        return prefix + String.format("%06d", i);
    }

    /** The operator's steady state: every admission of {@code plan} fed back as admitted=true on its node. */
    public static ClusterSpec steadyState(ClusterSpec spec, Plan plan) {
        Map<String, WorkloadStatus> byKey = new HashMap<>();
        for (WorkloadStatus s : plan.workloads()) {
            byKey.put(s.key(), s);
        }
        List<WorkloadSpec> out = new ArrayList<>(spec.workloads().size());
        for (WorkloadSpec w : spec.workloads()) {
            WorkloadStatus s = byKey.get(w.key());
            out.add(s != null && s.admitted() ? admittedOn(w, s.node()) : w);
        }
        return new ClusterSpec(spec.pools(), out, spec.nodes(), spec.namespaceLabels());
    }

    static WorkloadSpec admittedOn(WorkloadSpec w, String node) {
        return new WorkloadSpec(w.kind(), w.namespace(), w.name(), w.pool(), w.vcpus(), w.memorySize(),
                w.allocations(), w.demand(), w.nodeSelector(), w.running(), true, node, w.order());
    }

    /** The same workload with another measured cpu demand (what the node agent reports most often). */
    public static WorkloadSpec withCpuDemand(WorkloadSpec w, long demand) {
        Map<Dimension, Long> d = new EnumMap<>(Dimension.class);
        d.putAll(w.demand());
        d.put(Dimension.CPU, demand);
        return new WorkloadSpec(w.kind(), w.namespace(), w.name(), w.pool(), w.vcpus(), w.memorySize(),
                w.allocations(), d, w.nodeSelector(), w.running(), w.admitted(), w.node(), w.order());
    }

    /** Prints the shape of the generated cluster and what one computation makes of it. */
    public static void main(String[] args) {
        long t0 = System.nanoTime();
        ClusterSpec spec = generate();
        long t1 = System.nanoTime();
        Plan plan = io.respool.engine.Engine.compute(spec);
        long t2 = System.nanoTime();
        Map<String, Integer> reasons = new java.util.TreeMap<>();
        plan.workloads().forEach(s -> reasons.merge(s.reason(), 1, Integer::sum));
        System.out.printf("pools %d, workloads %d, nodes %d, dimensions %s%n", spec.pools().size(),
                spec.workloads().size(), spec.nodes().size(), plan.dimensions());
        System.out.printf("capacity %s%n", plan.capacity());
        System.out.printf("reasons %s%n", reasons);
        Map<String, Integer> refusals = new java.util.TreeMap<>();
        plan.workloads().stream().filter(w -> !w.admitted() && w.message() != null)
                .forEach(w -> refusals.merge(w.message().replaceAll("\"[^\"]*\"", "X").replaceAll("[0-9.]+[A-Za-z]*", "N"),
                        1, Integer::sum));
        refusals.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(8)
                .forEach(e -> System.out.println("  " + e.getValue() + "  " + e.getKey()));
        System.out.printf("generate %.0f ms, first compute %.0f ms%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6);
    }
}
