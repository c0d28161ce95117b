package io.respool.engine.property;

import io.respool.engine.Dimension;
import io.respool.engine.NodePlan;
import io.respool.engine.NodeSpec;
import io.respool.engine.PoolDimensionStatus;
import io.respool.engine.PoolSpec;
import io.respool.engine.WorkloadSpec;
import io.respool.engine.WorkloadStatus;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Soundness checks that hold for any plan, whatever came before it: they read only the engine's
 * output and the input, so they also apply after admissions were fed back.
 */
final class Invariants {

    private Invariants() {
    }

    static AssertionError fail(String message) {
        return new AssertionError(message);
    }

    /**
     * Section 4, the reservation ledger as reported: Σ reservations of admitted workloads ≤ root
     * capacity; for each pool used(P) ≤ L_P when limited and used(P) ≤ R_P when not expandable.
     */
    static void reservationsAreBacked(Reference ref) {
        for (Dimension d : ref.plan.dimensions()) {
            long sum = 0;
            for (WorkloadSpec w : ref.spec.workloads()) {
                if (ref.status(w).admitted()) {
                    sum = Sat.add(sum, Reference.reservation(w, d));
                }
            }
            long cap = ref.capacity.get(d);
            if (sum > cap) {
                throw fail(d.jsonName() + ": admitted workloads reserve " + sum + " > capacity " + Sat.show(cap));
            }
            for (PoolSpec p : ref.spec.pools()) {
                PoolDimensionStatus s = ref.status(p, d);
                long limit = p.allocation(d).limit();
                if (s.used() > limit) {
                    throw fail("pool " + p.name() + " " + d.jsonName() + ": used " + s.used() + " > limit " + limit);
                }
                if (!p.allocation(d).expandable() && s.used() > p.allocation(d).reservation()) {
                    throw fail("fixed pool " + p.name() + " " + d.jsonName() + ": used " + s.used()
                            + " > reservation " + p.allocation(d).reservation());
                }
                long direct = 0;
                for (WorkloadSpec w : ref.workloadsIn(p.name())) {
                    if (ref.status(w).admitted()) {
                        direct = Sat.add(direct, Reference.reservation(w, d));
                    }
                }
                if (s.used() < direct) {
                    throw fail("pool " + p.name() + " " + d.jsonName() + ": used " + s.used()
                            + " < reservations of its own admitted workloads " + direct);
                }
            }
        }
    }

    /**
     * Section 7: every admitted workload is placed on an existing node that is eligible for it
     * (Ready, schedulable, runtime, selectors); per node the reservations placed there fit its free
     * capacity in every node-local dimension it declares; refused workloads sit on no node; the
     * node plans list exactly the workloads placed there and their reservations.
     */
    static void placementIsSound(Reference ref) {
        Map<String, Map<Dimension, Long>> reserved = new HashMap<>();
        Map<String, TreeSet<String>> placed = new HashMap<>();
        for (WorkloadSpec w : ref.spec.workloads()) {
            WorkloadStatus s = ref.status(w);
            if (!s.admitted()) {
                if (s.node() != null) {
                    throw fail(w.key() + " is not admitted but sits on node " + s.node());
                }
                continue;
            }
            if (s.node() == null) {
                throw fail(w.key() + " is admitted but placed on no node");
            }
            NodeSpec n = ref.nodes.get(s.node());
            if (n == null) {
                throw fail(w.key() + " placed on unknown node " + s.node());
            }
            if (!ref.eligible(w, n)) {
                throw fail(w.key() + " placed on ineligible node " + n.name() + " (ready=" + n.ready()
                        + ", schedulable=" + n.schedulable() + ", labels=" + n.labels() + ", workload selector="
                        + w.nodeSelector() + ", pool chain selectors="
                        + ref.chain(Reference.poolKey(w)).stream().map(PoolSpec::nodeSelector).toList() + ")");
            }
            Reference.addReservations(reserved.computeIfAbsent(n.name(), k -> new EnumMap<>(Dimension.class)), w);
            placed.computeIfAbsent(n.name(), k -> new TreeSet<>()).add(w.key());
        }
        for (Map.Entry<String, Map<Dimension, Long>> e : reserved.entrySet()) {
            NodeSpec n = ref.nodes.get(e.getKey());
            for (Dimension d : Dimension.values()) {
                if (d.nodeLocal() && n.allocatable().containsKey(d)
                        && e.getValue().getOrDefault(d, 0L) > Reference.free(n, d)) {
                    throw fail("node " + n.name() + " " + d.jsonName() + ": reservations placed there "
                            + e.getValue().get(d) + " > free capacity " + Reference.free(n, d)
                            + " (workloads " + placed.get(n.name()) + ")");
                }
            }
        }
        Map<String, NodePlan> plans = new HashMap<>();
        for (NodePlan np : ref.plan.nodes()) {
            plans.put(np.name(), np);
        }
        for (Map.Entry<String, TreeSet<String>> e : placed.entrySet()) {
            NodePlan np = plans.get(e.getKey());
            if (np == null) {
                throw fail("node " + e.getKey() + " holds " + e.getValue() + " but has no node plan");
            }
        }
        for (NodePlan np : ref.plan.nodes()) {
            TreeSet<String> expected = placed.getOrDefault(np.name(), new TreeSet<>());
            if (!expected.equals(new TreeSet<>(np.workloads()))) {
                throw fail("node plan " + np.name() + " lists " + np.workloads() + " but placed there: " + expected);
            }
            NodeSpec n = ref.nodes.get(np.name());
            if (n == null) {
                throw fail("node plan for unknown node " + np.name());
            }
            Map<Dimension, Long> r = reserved.getOrDefault(np.name(), Map.of());
            for (Dimension d : ref.plan.dimensions()) {
                if (d.nodeLocal() && n.allocatable().containsKey(d)) {
                    long got = np.reserved().getOrDefault(d, 0L);
                    if (got != r.getOrDefault(d, 0L)) {
                        throw fail("node plan " + np.name() + " " + d.jsonName() + ": reserved " + got
                                + " but the workloads there reserve " + r.getOrDefault(d, 0L));
                    }
                    Long free = np.free().get(d);
                    if (free == null || free != Reference.free(n, d)) {
                        throw fail("node plan " + np.name() + " " + d.jsonName() + ": free " + free
                                + " but allocatable − other requests = " + Reference.free(n, d));
                    }
                }
            }
        }
    }

    /** Every workload and every pool of the input has exactly one status. */
    static void everythingHasAStatus(Reference ref) {
        if (ref.plan.workloads().size() != ref.spec.workloads().size()
                || ref.workloadStatus.size() != ref.spec.workloads().size()) {
            throw fail("plan has " + ref.plan.workloads().size() + " workload statuses for "
                    + ref.spec.workloads().size() + " workloads");
        }
        if (ref.plan.pools().size() != ref.spec.pools().size() || ref.poolStatus.size() != ref.spec.pools().size()) {
            throw fail("plan has " + ref.plan.pools().size() + " pool statuses for " + ref.spec.pools().size() + " pools");
        }
        for (WorkloadSpec w : ref.spec.workloads()) {
            ref.status(w);
        }
        for (PoolSpec p : ref.spec.pools()) {
            ref.status(p);
        }
        if (!ref.plan.dimensions().containsAll(List.of(Dimension.CPU, Dimension.MEMORY))) {
            throw fail("plan dimensions " + ref.plan.dimensions() + " lack cpu or memory");
        }
    }
}
