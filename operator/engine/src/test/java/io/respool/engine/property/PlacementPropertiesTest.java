package io.respool.engine.property;

import io.respool.engine.Dimension;
import io.respool.engine.NodeSpec;
import io.respool.engine.WorkloadSpec;
import io.respool.engine.WorkloadStatus;
import java.math.BigInteger;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Section 7, placement. */
class PlacementPropertiesTest {

    @Provide
    Arbitrary<GeneratedCluster> clusters() {
        return ClusterArbitraries.clusters();
    }

    /**
     * Every placed workload's node is Ready, schedulable, KubeVirt-capable for a VM and matches
     * the workload's and its pools' node selectors; per node the placed reservations fit the free
     * capacity; node plans agree.
     */
    @Property(tries = 1000)
    void workloadsLandOnEligibleNodesWithRoom(@ForAll("clusters") GeneratedCluster c) {
        Reference ref = EntitlementPropertiesTest.run(c);
        Invariants.placementIsSound(ref);
    }

    /** A load as an exact fraction, so ties are ties. */
    record Load(BigInteger num, BigInteger den) implements Comparable<Load> {
        static final Load ZERO = new Load(BigInteger.ZERO, BigInteger.ONE);

        @Override
        public int compareTo(Load o) {
            return num.multiply(o.den).compareTo(o.num.multiply(den));
        }

        Load max(Load o) {
            return compareTo(o) >= 0 ? this : o;
        }
    }

    /**
     * max_d (reserved_d + R_w,d) / allocatable_d over the node-local dimensions the node declares.
     * Section 7 does not say whether "reserved" includes other pods' requests; the check accepts
     * either reading (see {@link #chosenNodeHasTheLowestLoad}).
     */
    static Load load(NodeSpec n, Map<Dimension, Long> reserved, WorkloadSpec w, boolean countOthers) {
        Load l = Load.ZERO;
        for (Dimension d : Dimension.values()) {
            Long alloc = n.allocatable().get(d);
            if (!d.nodeLocal() || alloc == null || alloc <= 0) {
                continue;
            }
            long r = (reserved == null ? 0 : reserved.getOrDefault(d, 0L)) + Reference.reservation(w, d)
                    + (countOthers ? n.otherRequests().getOrDefault(d, 0L) : 0);
            l = l.max(new Load(BigInteger.valueOf(r), BigInteger.valueOf(alloc)));
        }
        return l;
    }

    /**
     * Section 7: among the nodes that can hold it, the engine picks the one with the lowest
     * post-placement load, ties by name. Replayed in admission order, following the engine's
     * earlier placements.
     */
    @Property(tries = 1000)
    void chosenNodeHasTheLowestLoad(@ForAll("clusters") GeneratedCluster c) {
        Reference ref = EntitlementPropertiesTest.run(c);
        Map<String, Map<Dimension, Long>> onNode = new HashMap<>();
        for (WorkloadSpec w : ref.workloadsInOrder()) {
            WorkloadStatus s = ref.status(w);
            if (!s.admitted() || s.node() == null) {
                continue;
            }
            NodeSpec chosen = ref.nodes.get(s.node());
            boolean explained = false;
            for (boolean countOthers : List.of(false, true)) {
                Load mine = load(chosen, onNode.get(chosen.name()), w, countOthers);
                boolean better = false;
                for (NodeSpec n : ref.spec.nodes()) {
                    if (n == chosen || !ref.eligible(w, n) || !Reference.roomFor(w, n, onNode.get(n.name()))) {
                        continue;
                    }
                    int cmp = load(n, onNode.get(n.name()), w, countOthers).compareTo(mine);
                    if (cmp < 0 || (cmp == 0 && n.name().compareTo(chosen.name()) < 0)) {
                        better = true;
                        break;
                    }
                }
                explained |= !better;
            }
            if (!explained) {
                StringBuilder sb = new StringBuilder();
                for (NodeSpec n : ref.spec.nodes()) {
                    if (ref.eligible(w, n) && Reference.roomFor(w, n, onNode.get(n.name()))) {
                        Load l = load(n, onNode.get(n.name()), w, false);
                        sb.append("\n   ").append(n.name()).append(" load ").append(l.num()).append('/').append(l.den())
                                .append(" reserved ").append(onNode.get(n.name()));
                    }
                }
                throw new AssertionError(w.key() + " placed on " + chosen.name()
                        + " but a node with lower load (or equal load and smaller name) could hold it:" + sb);
            }
            Reference.addReservations(onNode.computeIfAbsent(chosen.name(), k -> new EnumMap<>(Dimension.class)), w);
        }
    }
}
