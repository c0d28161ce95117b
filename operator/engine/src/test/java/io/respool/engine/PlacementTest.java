package io.respool.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The branch-and-bound search against a scan of every node, on clusters large enough for the
 * segment tree to matter: few node shapes (exact classes, many equal loads), many distinct
 * allocatables (magnitude classes), magnitudes too many for one class each, nodes that declare
 * only some dimensions or zero, and reservations booked past a node's room.
 */
class PlacementTest {

    private static final Dimension[] LOCAL = {Dimension.CPU, Dimension.MEMORY, Dimension.DISK_IOPS,
            Dimension.DISK_BANDWIDTH};
    private static final Placement.Filter ANY = new Placement.Filter(false, List.of());

    @Test
    void identicalNodesTakeTurnsByName() {
        List<NodeSpec> nodes = new ArrayList<>();
        for (String name : List.of("c", "a", "b")) {
            nodes.add(node(name, 4000, 8L << 30, 0, 0));
        }
        Placement p = new Placement(nodes);
        long[] r = reservation(1000, 1L << 30, 0, 0);
        List<String> chosen = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = p.choose(ANY, r);
            chosen.add(p.nodes[n].name());
            p.reserve(n, r);
        }
        // Equal loads go by name; the cpu fraction (1/4 per workload) makes the load.
        assertThat(chosen).containsExactly("a", "b", "c", "a", "b");
        assertThat(p.choose(ANY, reservation(3000, 0, 0, 0))).isEqualTo(-1);
        assertThat(p.nodes[p.choose(ANY, reservation(2000, 0, 0, 0))].name()).isEqualTo("c");
    }

    @Test
    void fewShapesWithEqualLoads() {
        assertMatchesScan(1, 600, 3000, (rnd, i) -> {
            int cores = 32 << rnd.nextInt(3);
            return node(name(i), cores * 1000L - 500, cores * 4L * (1L << 30) - (2L << 30),
                    20_000 + 1000L * rnd.nextInt(40), 0);
        });
    }

    @Test
    void manyDistinctAllocatables() {
        assertMatchesScan(2, 500, 3000, (rnd, i) -> node(name(i), 8000 + rnd.nextInt(120_000),
                (8L << 30) + (long) (rnd.nextDouble() * (500L << 30)), 1 + rnd.nextInt(50_000),
                rnd.nextInt(4) == 0 ? 0 : 100 + rnd.nextInt(2000)));
    }

    @Test
    void magnitudesTooManyForOneClassEach() {
        assertMatchesScan(3, 400, 2000, (rnd, i) -> node(name(i), 1L << (4 + rnd.nextInt(30)),
                1L << (4 + rnd.nextInt(40)), 1L << (1 + rnd.nextInt(30)), 1L << (1 + rnd.nextInt(30))));
    }

    @Test
    void nodesThatDeclareSomeDimensionsOrNone() {
        assertMatchesScan(4, 300, 2000, (rnd, i) -> {
            Map<Dimension, Long> alloc = new EnumMap<>(Dimension.class);
            Map<Dimension, Long> other = new EnumMap<>(Dimension.class);
            for (Dimension d : LOCAL) {
                int pick = rnd.nextInt(6);
                if (pick == 0) {
                    continue;                                   // not declared
                }
                long a = pick == 1 ? 0 : (1 + rnd.nextInt(4)) * 1000L;
                alloc.put(d, a);
                if (rnd.nextBoolean()) {
                    other.put(d, (long) rnd.nextInt(1500));
                }
            }
            return new NodeSpec(name(i), Map.of(), rnd.nextInt(20) != 0, true, alloc, other);
        });
    }

    interface NodeMaker {
        NodeSpec make(Random rnd, int i);
    }

    /**
     * Places {@code steps} random reservations one after another and checks each choice against
     * a scan; now and then books a reservation on a random node whatever its room, as a workload
     * admitted earlier keeps its node.
     */
    private static void assertMatchesScan(long seed, int nodeCount, int steps, NodeMaker maker) {
        Random rnd = new Random(seed);
        List<NodeSpec> specs = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            specs.add(maker.make(rnd, i));
        }
        Placement p = new Placement(specs);
        long[][] reserved = new long[Dimension.values().length][p.nodes.length];
        int placed = 0;
        int tied = 0;
        for (int step = 0; step < steps; step++) {
            long[] r = randomReservation(rnd);
            if (rnd.nextInt(50) == 0) {
                int n = rnd.nextInt(p.nodes.length);
                book(p, reserved, n, r);
                continue;
            }
            int expected = scan(p.nodes, reserved, r);
            assertThat(p.choose(ANY, r)).as("step %d", step).isEqualTo(expected);
            if (expected >= 0) {
                tied += ties(p.nodes, reserved, r, expected);
                book(p, reserved, expected, r);
                placed++;
            }
        }
        assertThat(placed).isGreaterThan(steps / 4);
        if (seed == 1) {
            assertThat(tied).as("equal loads with a larger name").isGreaterThan(steps);
        }
    }

    private static void book(Placement p, long[][] reserved, int n, long[] r) {
        for (int di = 0; di < r.length; di++) {
            reserved[di][n] += r[di];
        }
        p.reserve(n, r);
    }

    private static long[] randomReservation(Random rnd) {
        long[] r = new long[Dimension.values().length];
        switch (rnd.nextInt(4)) {
            case 0 -> r[Dimension.CPU.ordinal()] = 100L * rnd.nextInt(20);
            case 1 -> r[Dimension.MEMORY.ordinal()] = (128L << 20) * rnd.nextInt(64);
            default -> {
                r[Dimension.CPU.ordinal()] = 250L * rnd.nextInt(16);
                r[Dimension.MEMORY.ordinal()] = (1L << 30) * rnd.nextInt(16);
                r[Dimension.DISK_IOPS.ordinal()] = 50L * rnd.nextInt(10);
                r[Dimension.DISK_BANDWIDTH.ordinal()] = rnd.nextInt(3) == 0 ? 10L * rnd.nextInt(100) : 0;
            }
        }
        r[Dimension.NETWORK_EGRESS.ordinal()] = 1_000_000L * rnd.nextInt(50);
        return r;
    }

    /** The lowest post-placement load among eligible nodes with room, ties by name: every node looked at. */
    private static int scan(NodeSpec[] nodes, long[][] reserved, long[] r) {
        int best = -1;
        double bestLoad = Double.POSITIVE_INFINITY;
        for (int n = 0; n < nodes.length; n++) {
            if (!nodes[n].eligible() || !room(nodes[n], reserved, n, r)) {
                continue;
            }
            double load = load(nodes[n], reserved, n, r);
            if (load < bestLoad || (load == bestLoad && nodes[n].name().compareTo(nodes[best].name()) < 0)) {
                best = n;
                bestLoad = load;
            }
        }
        return best;
    }

    private static int ties(NodeSpec[] nodes, long[][] reserved, long[] r, int chosen) {
        double load = load(nodes[chosen], reserved, chosen, r);
        int count = 0;
        for (int n = chosen + 1; n < nodes.length; n++) {
            if (nodes[n].eligible() && room(nodes[n], reserved, n, r) && load(nodes[n], reserved, n, r) == load) {
                count++;
            }
        }
        return count;
    }

    private static boolean room(NodeSpec node, long[][] reserved, int n, long[] r) {
        for (Dimension d : LOCAL) {
            long free = node.free(d);
            if (free != Quantities.UNLIMITED && reserved[d.ordinal()][n] + r[d.ordinal()] > free) {
                return false;
            }
        }
        return true;
    }

    private static double load(NodeSpec node, long[][] reserved, int n, long[] r) {
        double max = 0;
        for (Dimension d : LOCAL) {
            Long a = node.allocatable().get(d);
            if (a == null || a <= 0) {
                continue;
            }
            long used = (a - node.free(d)) + reserved[d.ordinal()][n] + r[d.ordinal()];
            max = Math.max(max, (double) used / a);
        }
        return max;
    }

    private static NodeSpec node(String name, long cpu, long memory, long iops, long bandwidth) {
        Map<Dimension, Long> alloc = new EnumMap<>(Dimension.class);
        alloc.put(Dimension.CPU, cpu);
        alloc.put(Dimension.MEMORY, memory);
        if (iops > 0) {
            alloc.put(Dimension.DISK_IOPS, iops);
        }
        if (bandwidth > 0) {
            alloc.put(Dimension.DISK_BANDWIDTH, bandwidth);
        }
        alloc.put(Dimension.NETWORK_EGRESS, 10_000_000_000L);
        return new NodeSpec(name, Map.of(), true, true, alloc,
                Map.of(Dimension.CPU, cpu / 50, Dimension.MEMORY, memory / 40));
    }

    private static long[] reservation(long cpu, long memory, long iops, long bandwidth) {
        long[] r = new long[Dimension.values().length];
        r[Dimension.CPU.ordinal()] = cpu;
        r[Dimension.MEMORY.ordinal()] = memory;
        r[Dimension.DISK_IOPS.ordinal()] = iops;
        r[Dimension.DISK_BANDWIDTH.ordinal()] = bandwidth;
        return r;
    }

    private static String name(int i) {
        // Not in index order, so that name order and creation order differ.
        return String.format("node-%05d", (i * 7919) % 100_000);
    }
}
