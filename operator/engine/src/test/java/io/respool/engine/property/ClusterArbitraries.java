package io.respool.engine.property;

import io.respool.engine.Allocation;
import io.respool.engine.ClusterSpec;
import io.respool.engine.Dimension;
import io.respool.engine.LabelSelector;
import io.respool.engine.NodeSpec;
import io.respool.engine.PoolSpec;
import io.respool.engine.Quantities;
import io.respool.engine.Shares;
import io.respool.engine.WorkloadKind;
import io.respool.engine.WorkloadSpec;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random but valid cluster inputs for the property tests.
 *
 * <p>Everything is generated as small "genes" (unit counts, picks) that jqwik can shrink, then
 * mapped deterministically onto a {@link ClusterSpec}: pool trees up to depth 4 whose parents
 * always come first, reservations and limits with L ≥ R or unlimited, preset and custom shares,
 * expandable or fixed reservations, scalable shares sometimes; VMs (R ≤ L ≤ their size) and
 * Containers with random allocations and sometimes measured demand; one to six nodes, some
 * KubeVirt-capable, some not Ready or cordoned, some with other pods' requests.
 *
 * <p>Admission order: pools get orders 0..P-1 (parents first), workloads 1000, 1010, ... so pools'
 * reservations are charged before any workload, and later tests can slot newcomers in between.
 * {@link #clustersWithTies()} makes workloads share creation times three by three.
 */
final class ClusterArbitraries {

    static final int MAX_DEPTH = 4;
    static final long MIB = 1024L * 1024;
    static final String ZONE = "zone";
    static final String TEAM = "team";
    static final List<String> NAMESPACES = List.of("ns-red", "ns-blue", "ns-plain");
    static final Map<String, Map<String, String>> NAMESPACE_LABELS = Map.of(
            "ns-red", Map.of(TEAM, "red", "kubernetes.io/metadata.name", "ns-red"),
            "ns-blue", Map.of(TEAM, "blue", "kubernetes.io/metadata.name", "ns-blue"));
    static final long FIRST_WORKLOAD_ORDER = 1000;
    static final long WORKLOAD_ORDER_STEP = 10;

    private ClusterArbitraries() {
    }

    /** One unit of a dimension: allocations are multiples of it, sometimes plus a remainder. */
    static long unit(Dimension d) {
        return switch (d) {
            case CPU -> 100;                          // 100 millicores
            case MEMORY -> 256 * MIB;                 // 256 MiB
            case DISK_IOPS -> 100;                    // 100 IOPS
            case DISK_BANDWIDTH -> 10 * MIB;          // 10 MiB/s
            case NETWORK_EGRESS, NETWORK_INGRESS -> 10_000_000; // 10 Mbit/s
        };
    }

    // ---------------------------------------------------------------- genes

    /** r, l in units (l = -1: unlimited, else the limit is R + l units); jitters add a remainder. */
    record AllocGene(int r, int l, int jitterR, int jitterL, Shares shares, boolean expandable) {
    }

    record PoolGene(int parentPick, List<AllocGene> allocs, boolean scalable, int nodeSelector,
                    int namespaceSelector) {
    }

    record WorkloadShape(boolean vm, int poolPick, boolean ghostPool, int vcpus, int memoryUnits,
                         int namespace, int nodeSelector, boolean running) {
    }

    record WorkloadGene(WorkloadShape shape, List<AllocGene> allocs, List<Integer> demand) {
    }

    record NodeGene(List<Integer> allocatable, List<Integer> other, boolean ready, boolean schedulable,
                    boolean kubevirt, int zone) {
    }

    record ClusterGene(List<Boolean> extraDims, boolean nodesDeclareExtras, List<PoolGene> pools,
                       List<WorkloadGene> workloads, List<NodeGene> nodes) {
    }

    // ---------------------------------------------------------------- arbitraries

    static Arbitrary<Shares> shares() {
        return Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just(Shares.NORMAL)),
                Tuple.of(2, Arbitraries.just(Shares.LOW)),
                Tuple.of(2, Arbitraries.just(Shares.HIGH)),
                Tuple.of(2, Arbitraries.integers().between(1, 10_000).map(Shares::custom)),
                Tuple.of(1, Arbitraries.integers().between(1, 1_000_000).map(Shares::custom)));
    }

    static Arbitrary<AllocGene> allocation(int maxReservationUnits) {
        Arbitrary<Integer> r = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(0)),
                Tuple.of(7, Arbitraries.integers().between(0, maxReservationUnits)));
        Arbitrary<Integer> l = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(-1)),
                Tuple.of(6, Arbitraries.integers().between(0, 40)));
        Arbitrary<Integer> jitter = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(0)),
                Tuple.of(2, Arbitraries.integers().between(1, 1_000_000)));
        Arbitrary<Boolean> expandable = Arbitraries.frequency(Tuple.of(7, true), Tuple.of(3, false));
        return Combinators.combine(r, l, jitter, jitter, shares(), expandable).as(AllocGene::new);
    }

    /** Six entries, one per {@link Dimension} ordinal; null: the object leaves that dimension out. */
    static Arbitrary<List<AllocGene>> allocations(int maxReservationUnits) {
        return allocation(maxReservationUnits).injectNull(0.4).list().ofSize(Dimension.values().length);
    }

    static Arbitrary<PoolGene> pool() {
        return Combinators.combine(
                Arbitraries.integers().between(0, 1000),
                allocations(60),
                Arbitraries.frequency(Tuple.of(2, true), Tuple.of(8, false)),
                Arbitraries.frequency(Tuple.of(8, 0), Tuple.of(1, 1), Tuple.of(1, 2)),
                Arbitraries.frequency(Tuple.of(12, 0), Tuple.of(1, 1), Tuple.of(1, 2), Tuple.of(1, 3))
        ).as(PoolGene::new);
    }

    static Arbitrary<WorkloadGene> workload() {
        Arbitrary<WorkloadShape> shape = Combinators.combine(
                Arbitraries.frequency(Tuple.of(1, true), Tuple.of(1, false)),
                Arbitraries.integers().between(0, 1000),
                Arbitraries.frequency(Tuple.of(1, true), Tuple.of(40, false)),
                Arbitraries.integers().between(1, 8),
                Arbitraries.integers().between(1, 32),
                Arbitraries.integers().between(0, NAMESPACES.size() - 1),
                Arbitraries.frequency(Tuple.of(8, 0), Tuple.of(1, 1), Tuple.of(1, 2)),
                Arbitraries.frequency(Tuple.of(9, true), Tuple.of(1, false))
        ).as(WorkloadShape::new);
        Arbitrary<List<Integer>> demand = Arbitraries.frequencyOf(
                Tuple.of(7, Arbitraries.just(List.<Integer>of())),
                Tuple.of(3, Arbitraries.integers().between(0, 80).injectNull(0.5).list()
                        .ofSize(Dimension.values().length)));
        return Combinators.combine(shape, allocations(30), demand).as(WorkloadGene::new);
    }

    static Arbitrary<NodeGene> node() {
        Arbitrary<List<Integer>> allocatable = Arbitraries.integers().between(16, 160).list()
                .ofSize(Dimension.values().length);
        Arbitrary<List<Integer>> other = Arbitraries.frequencyOf(
                Tuple.of(7, Arbitraries.just(List.<Integer>of())),
                Tuple.of(3, Arbitraries.integers().between(0, 16).list().ofSize(Dimension.values().length)));
        return Combinators.combine(
                allocatable, other,
                Arbitraries.frequency(Tuple.of(9, true), Tuple.of(1, false)),
                Arbitraries.frequency(Tuple.of(9, true), Tuple.of(1, false)),
                Arbitraries.frequency(Tuple.of(6, true), Tuple.of(4, false)),
                Arbitraries.integers().between(0, 1)
        ).as(NodeGene::new);
    }

    static Arbitrary<ClusterGene> clusterGenes() {
        return Combinators.combine(
                Arbitraries.frequency(Tuple.of(3, true), Tuple.of(7, false)).list().ofSize(4),
                Arbitraries.frequency(Tuple.of(8, true), Tuple.of(2, false)),
                pool().list().ofMaxSize(12),
                workload().list().ofMaxSize(40),
                node().list().ofMinSize(1).ofMaxSize(6)
        ).as(ClusterGene::new);
    }

    /** The main generator: random valid clusters, every workload new (not yet admitted). */
    static Arbitrary<GeneratedCluster> clusters() {
        return clusterGenes().map(g -> build(g, false));
    }

    /** The same, but workloads share creation times three by three: names must decide (section 4). */
    static Arbitrary<GeneratedCluster> clustersWithTies() {
        return clusterGenes().map(g -> build(g, true));
    }

    /** Workloads to add to an existing cluster (see {@link #newcomers}). */
    static Arbitrary<List<WorkloadGene>> newcomerGenes() {
        return workload().list().ofMinSize(1).ofMaxSize(10);
    }

    // ---------------------------------------------------------------- mapping genes to specs

    static GeneratedCluster build(ClusterGene g, boolean orderTies) {
        List<Dimension> dims = new ArrayList<>(List.of(Dimension.CPU, Dimension.MEMORY));
        Dimension[] extras = {Dimension.DISK_IOPS, Dimension.DISK_BANDWIDTH,
                Dimension.NETWORK_EGRESS, Dimension.NETWORK_INGRESS};
        for (int i = 0; i < extras.length; i++) {
            if (g.extraDims().get(i)) {
                dims.add(extras[i]);
            }
        }

        List<PoolSpec> pools = new ArrayList<>();
        List<Integer> depth = new ArrayList<>();
        for (int i = 0; i < g.pools().size(); i++) {
            PoolGene pg = g.pools().get(i);
            // Candidates: the root (-1) and every earlier pool that is not yet at the maximum depth.
            List<Integer> candidates = new ArrayList<>();
            candidates.add(-1);
            for (int j = 0; j < i; j++) {
                if (depth.get(j) < MAX_DEPTH) {
                    candidates.add(j);
                }
            }
            int parent = candidates.get(pg.parentPick() % candidates.size());
            depth.add(parent < 0 ? 1 : depth.get(parent) + 1);
            Map<Dimension, Allocation> allocations = new EnumMap<>(Dimension.class);
            for (Dimension d : dims) {
                AllocGene a = pg.allocs().get(d.ordinal());
                if (a != null) {
                    allocations.put(d, toAllocation(a, d, Quantities.UNLIMITED));
                }
            }
            Map<String, String> nodeSelector = switch (pg.nodeSelector()) {
                case 1 -> Map.of(ZONE, "a");
                case 2 -> Map.of(ZONE, "b");
                default -> Map.of();
            };
            LabelSelector ns = switch (pg.namespaceSelector()) {
                case 1 -> LabelSelector.of(Map.of(TEAM, "red"));
                case 2 -> new LabelSelector(Map.of(), List.of(new LabelSelector.Requirement(
                        TEAM, LabelSelector.Operator.IN, List.of("red", "blue"))));
                case 3 -> new LabelSelector(Map.of(), List.of(new LabelSelector.Requirement(
                        TEAM, LabelSelector.Operator.NOT_IN, List.of("red"))));
                default -> null;
            };
            pools.add(new PoolSpec("p" + i, parent < 0 ? null : "p" + parent, allocations,
                    pg.scalable(), nodeSelector, ns, i));
        }

        List<WorkloadSpec> workloads = new ArrayList<>();
        for (int i = 0; i < g.workloads().size(); i++) {
            // With ties, three workloads share each creation time and their names decide.
            long slot = orderTies ? i / 3 : i;
            workloads.add(workload(g.workloads().get(i), "w" + i, pools.size(), dims,
                    FIRST_WORKLOAD_ORDER + WORKLOAD_ORDER_STEP * slot));
        }

        List<NodeSpec> nodes = new ArrayList<>();
        for (int i = 0; i < g.nodes().size(); i++) {
            NodeGene ng = g.nodes().get(i);
            Map<Dimension, Long> allocatable = new EnumMap<>(Dimension.class);
            Map<Dimension, Long> other = new EnumMap<>(Dimension.class);
            for (Dimension d : Dimension.values()) {
                boolean declared = d == Dimension.CPU || d == Dimension.MEMORY || g.nodesDeclareExtras();
                if (!declared) {
                    continue;
                }
                allocatable.put(d, ng.allocatable().get(d.ordinal()) * unit(d));
                if (!ng.other().isEmpty() && ng.other().get(d.ordinal()) > 0) {
                    other.put(d, ng.other().get(d.ordinal()) * unit(d));
                }
            }
            Map<String, String> labels = new java.util.HashMap<>();
            labels.put(ZONE, ng.zone() == 0 ? "a" : "b");
            if (ng.kubevirt()) {
                labels.put(NodeSpec.KUBEVIRT_LABEL, "true");
            }
            nodes.add(new NodeSpec("n" + i, labels, ng.ready(), ng.schedulable(), allocatable, other));
        }

        return new GeneratedCluster(new ClusterSpec(pools, workloads, nodes, NAMESPACE_LABELS), List.copyOf(dims));
    }

    /**
     * A workload from its genes. {@code poolCount} pools named p0..p(n-1) exist; the pick selects
     * one of them or the root; a ghost pool is a name that does not exist.
     */
    static WorkloadSpec workload(WorkloadGene wg, String name, int poolCount, List<Dimension> dims,
                                 long order) {
        WorkloadShape s = wg.shape();
        int pick = s.poolPick() % (poolCount + 1);
        String pool = s.ghostPool() ? "ghost" : pick == poolCount ? null : "p" + pick;
        Map<Dimension, Allocation> allocations = new EnumMap<>(Dimension.class);
        for (Dimension d : dims) {
            AllocGene a = wg.allocs().get(d.ordinal());
            if (a == null) {
                continue;
            }
            long size = Quantities.UNLIMITED;
            if (s.vm() && d == Dimension.CPU) {
                size = s.vcpus() * 1000L;
            } else if (s.vm() && d == Dimension.MEMORY) {
                size = s.memoryUnits() * unit(Dimension.MEMORY);
            }
            allocations.put(d, toAllocation(a, d, size));
        }
        Map<Dimension, Long> demand = new EnumMap<>(Dimension.class);
        if (!wg.demand().isEmpty()) {
            for (Dimension d : dims) {
                Integer units = wg.demand().get(d.ordinal());
                if (units != null) {
                    demand.put(d, units * unit(d));
                }
            }
        }
        Map<String, String> nodeSelector = switch (s.nodeSelector()) {
            case 1 -> Map.of(ZONE, "a");
            case 2 -> Map.of(ZONE, "b");
            default -> Map.of();
        };
        return new WorkloadSpec(s.vm() ? WorkloadKind.VIRTUAL_MACHINE : WorkloadKind.CONTAINER,
                NAMESPACES.get(s.namespace()), name, pool,
                s.vm() ? s.vcpus() : 0, s.vm() ? s.memoryUnits() * unit(Dimension.MEMORY) : 0,
                allocations, demand, nodeSelector, s.running(), false, null, order);
    }

    /**
     * Turns genes into an allocation with 0 ≤ R ≤ L (or L unlimited); {@code size} caps both for
     * a VM's cpu and memory (a VM cannot reserve or be limited beyond its vCPUs / memory size).
     */
    static Allocation toAllocation(AllocGene a, Dimension d, long size) {
        long unit = unit(d);
        long r = a.r() * unit + (a.jitterR() % unit);
        long l = a.l() < 0 ? Quantities.UNLIMITED : r + a.l() * unit + (a.jitterL() % unit);
        if (size != Quantities.UNLIMITED) {
            r = Math.min(r, size);
            if (l != Quantities.UNLIMITED) {
                l = Math.max(r, Math.min(l, size));
            }
        }
        return new Allocation(r, l, a.shares(), a.expandable());
    }

    /**
     * Newcomers for an existing cluster: named "new0", "new1", ... with orders 100, 101, ...: after
     * every pool, before every workload that {@link #build} made.
     */
    static List<WorkloadSpec> newcomers(List<WorkloadGene> genes, ClusterSpec spec, List<Dimension> dims) {
        List<WorkloadSpec> out = new ArrayList<>();
        for (int i = 0; i < genes.size(); i++) {
            out.add(workload(genes.get(i), "new" + i, spec.pools().size(), dims, 100 + i));
        }
        return out;
    }
}
