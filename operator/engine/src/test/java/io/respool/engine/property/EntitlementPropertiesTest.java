package io.respool.engine.property;

import static io.respool.engine.property.Sat.INF;

import io.respool.engine.Dimension;
import io.respool.engine.Engine;
import io.respool.engine.NodeSpec;
import io.respool.engine.Plan;
import io.respool.engine.PoolSpec;
import io.respool.engine.WorkloadDimensionStatus;
import io.respool.engine.WorkloadSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The guarantees of semantics.md section 6 item 4, checked at every pool (and the root) in every
 * dimension, against floors and ceilings the test computes itself (section 6.2) from the input and
 * the engine's admissions.
 */
class EntitlementPropertiesTest {

    @Provide
    Arbitrary<GeneratedCluster> clusters() {
        return ClusterArbitraries.clusters();
    }

    /** Visits the active children of every pool that has some, with the parent's E (section 6.3). */
    interface PoolVisitor {
        void visit(String pool, Dimension d, long parentEntitlement, List<Reference.Child> children);
    }

    static Reference run(GeneratedCluster c) {
        Plan plan = Engine.compute(c.spec());
        Reference ref = new Reference(c.spec(), plan);
        Invariants.everythingHasAStatus(ref);
        return ref;
    }

    static void forEachPool(Reference ref, PoolVisitor visitor) {
        Reference.Ledger ledger = ref.ledgerOfPlan();
        for (Dimension d : ref.plan.dimensions()) {
            for (String key : ref.poolKeys()) {
                if (!Reference.ROOT.equals(key) && !ref.activePool(key)) {
                    continue;
                }
                List<Reference.Child> children = ref.activeChildren(key, d, ledger);
                if (!children.isEmpty()) {
                    visitor.visit(key, d, ref.entitlementOf(key, d), children);
                }
            }
        }
    }

    static long sumLo(List<Reference.Child> children) {
        return children.stream().mapToLong(Reference.Child::lo).reduce(0, Sat::add);
    }

    static long sumE(List<Reference.Child> children) {
        return children.stream().mapToLong(Reference.Child::entitlement).reduce(0, Sat::add);
    }

    static long sumHi(List<Reference.Child> children) {
        return children.stream().mapToLong(Reference.Child::hi).reduce(0, Sat::add);
    }

    static String where(String pool, Dimension d, long parentE, List<Reference.Child> children) {
        return "pool " + pool + " " + d.jsonName() + ", E_P=" + Sat.show(parentE) + Reference.describe(children);
    }

    /**
     * Section 6.2/6.4: lo ≤ E ≤ hi for every active child. Where Σ lo > E_P the floors are scaled
     * down by design (section 6.3, Overcommitted): there only E ≤ hi is required.
     */
    @Property(tries = 1000)
    void entitlementLiesBetweenFloorAndCeiling(@ForAll("clusters") GeneratedCluster c) {
        checkEntitlementLiesBetweenFloorAndCeiling(run(c));
    }

    static void checkEntitlementLiesBetweenFloorAndCeiling(Reference ref) {
        forEachPool(ref, (pool, d, parentE, children) -> {
            boolean scaled = sumLo(children) > parentE;
            for (Reference.Child ch : children) {
                if ((!scaled && ch.entitlement() < ch.lo()) || ch.entitlement() > ch.hi()) {
                    throw new AssertionError("not lo ≤ E ≤ hi for " + ch.label() + " in "
                            + where(pool, d, parentE, children) + ref.dump(d));
                }
            }
        });
    }

    /** Section 6.4: Σ E_children ≤ E_P at every pool; at the root E_root = min(capacity, D_root). */
    @Property(tries = 1000)
    void childrenNeverGetMoreThanTheirParent(@ForAll("clusters") GeneratedCluster c) {
        checkChildrenNeverGetMoreThanTheirParent(run(c));
    }

    static void checkChildrenNeverGetMoreThanTheirParent(Reference ref) {
        forEachPool(ref, (pool, d, parentE, children) -> {
            if (sumE(children) > parentE) {
                throw new AssertionError("Σ E_children = " + Sat.show(sumE(children)) + " > E_P in "
                        + where(pool, d, parentE, children));
            }
        });
    }

    /**
     * Section 6.4, work conservation: if Σ E_children < E_P, every active child is at its ceiling
     * (equivalently Σ E_c = min(E_P, Σ hi_c), the target of section 6.3), exactly, in integers.
     */
    @Property(tries = 1000)
    void noCapacityIdleWhileAChildWantsMore(@ForAll("clusters") GeneratedCluster c) {
        checkNoCapacityIdleWhileAChildWantsMore(run(c));
    }

    static void checkNoCapacityIdleWhileAChildWantsMore(Reference ref) {
        forEachPool(ref, (pool, d, parentE, children) -> {
            if (sumE(children) < parentE) {
                for (Reference.Child ch : children) {
                    if (ch.entitlement() < ch.hi()) {
                        throw new AssertionError("Σ E_children = " + Sat.show(sumE(children)) + " < E_P but "
                                + ch.label() + " is below its ceiling, in " + where(pool, d, parentE, children));
                    }
                }
            }
        });
    }

    /**
     * Section 6.4: R ≤ E whenever R ≤ D and the tree is Valid (every pool VALID in that dimension),
     * for active workloads and for active pools (R = the pool's reservation as granted, section 4).
     */
    @Property(tries = 1000)
    void reservationIsGuaranteedUpToDemand(@ForAll("clusters") GeneratedCluster c) {
        checkReservationIsGuaranteedUpToDemand(run(c));
    }

    static void checkReservationIsGuaranteedUpToDemand(Reference ref) {
        for (Dimension d : ref.plan.dimensions()) {
            if (!ref.validTree(d)) {
                continue;
            }
            for (WorkloadSpec w : ref.spec.workloads()) {
                if (!ref.active(w)) {
                    continue;
                }
                long r = Reference.reservation(w, d);
                long e = ref.status(w, d).entitlement();
                if (r <= Reference.demand(w, d) && e < r) {
                    throw new AssertionError(w.key() + " " + d.jsonName() + ": R=" + r + " ≤ D="
                            + Sat.show(Reference.demand(w, d)) + " but E=" + e);
                }
            }
            for (PoolSpec p : ref.spec.pools()) {
                if (!ref.activePool(p.name())) {
                    continue;
                }
                long r = ref.granted(p.name(), d);
                long dem = ref.poolDemand(p.name(), d);
                long e = ref.status(p, d).entitlement();
                if (r <= dem && e < r) {
                    throw new AssertionError("pool " + p.name() + " " + d.jsonName() + ": R=" + r + " ≤ D="
                            + Sat.show(dem) + " but E=" + e);
                }
            }
        }
    }

    /** Section 6.4 / 5: E ≤ effective limit (min of own limit and every ancestor's) for pools and workloads. */
    @Property(tries = 1000)
    void entitlementRespectsEffectiveLimit(@ForAll("clusters") GeneratedCluster c) {
        checkEntitlementRespectsEffectiveLimit(run(c));
    }

    static void checkEntitlementRespectsEffectiveLimit(Reference ref) {
        for (Dimension d : ref.plan.dimensions()) {
            for (WorkloadSpec w : ref.spec.workloads()) {
                long e = ref.status(w, d).entitlement();
                if (e > ref.effectiveLimit(w, d)) {
                    throw new AssertionError(w.key() + " " + d.jsonName() + ": E=" + e + " > effective limit "
                            + ref.effectiveLimit(w, d));
                }
            }
            for (PoolSpec p : ref.spec.pools()) {
                long e = ref.status(p, d).entitlement();
                if (e > ref.poolEffectiveLimit(p.name(), d)) {
                    throw new AssertionError("pool " + p.name() + " " + d.jsonName() + ": E=" + e
                            + " > effective limit " + ref.poolEffectiveLimit(p.name(), d));
                }
            }
        }
    }

    /**
     * Section 6.3, shares: one λ per pool explains every child, E_c = clamp(S_c·λ, lo_c, hi_c). A
     * child strictly between floor and ceiling pins λ to E/S; one held at its floor needs S·λ ≤ lo;
     * one at its ceiling needs S·λ ≥ hi. Rounding: ±1 base unit on E and ±0.5 on S.
     */
    @Property(tries = 1000)
    void sharesSplitWhatIsContended(@ForAll("clusters") GeneratedCluster c) {
        checkSharesSplitWhatIsContended(run(c));
    }

    static void checkSharesSplitWhatIsContended(Reference ref) {
        forEachPool(ref, (pool, d, parentE, children) -> {
            if (parentE == INF || sumLo(children) > parentE) {
                return;
            }
            double lower = 0;
            double upper = Double.POSITIVE_INFINITY;
            String lowerBy = "-";
            String upperBy = "-";
            for (Reference.Child ch : children) {
                long e = ch.entitlement();
                if (ch.lo() == ch.hi() || e < ch.lo() || e > ch.hi() || e == INF || ch.shares() <= 0) {
                    continue;
                }
                double sHi = ch.shares() + 0.5;
                double sLo = Math.max(ch.shares() - 0.5, 0.25);
                if (e > ch.lo()) { // not held up by its floor: S·λ ≥ E (− rounding)
                    double l = (e - 1) / sHi;
                    if (l > lower) {
                        lower = l;
                        lowerBy = ch.label();
                    }
                }
                if (e < ch.hi()) { // not stopped by its ceiling: S·λ ≤ E (+ rounding)
                    double u = (e + 1) / sLo;
                    if (u < upper) {
                        upper = u;
                        upperBy = ch.label();
                    }
                }
            }
            if (lower > upper * (1 + 1e-9)) {
                throw new AssertionError("no single λ explains the split: " + lowerBy + " needs λ ≥ " + lower
                        + " but " + upperBy + " needs λ ≤ " + upper + ", in " + where(pool, d, parentE, children));
            }
        });
    }

    /**
     * Section 3 / 6: only active siblings take part. A workload that is not active (refused,
     * stopped) and a pool without an active descendant are entitled to nothing.
     */
    @Property(tries = 1000)
    void inactiveObjectsAreEntitledToNothing(@ForAll("clusters") GeneratedCluster c) {
        checkInactiveObjectsAreEntitledToNothing(run(c));
    }

    static void checkInactiveObjectsAreEntitledToNothing(Reference ref) {
        for (Dimension d : ref.plan.dimensions()) {
            for (WorkloadSpec w : ref.spec.workloads()) {
                if (!ref.active(w) && ref.status(w, d).entitlement() != 0) {
                    throw new AssertionError("inactive " + w.key() + " (" + ref.status(w).reason() + ") has "
                            + d.jsonName() + " entitlement " + ref.status(w, d).entitlement());
                }
            }
            for (PoolSpec p : ref.spec.pools()) {
                if (!ref.activePool(p.name()) && ref.status(p, d).entitlement() != 0) {
                    throw new AssertionError("pool " + p.name() + " has no active workload below it but "
                            + d.jsonName() + " entitlement " + ref.status(p, d).entitlement());
                }
            }
        }
    }

    /**
     * Section 6, per node: targets equal entitlements while they fit the node; otherwise the node's
     * capacity is water-filled with floors R_w and weights E_w, so each target lies between
     * min(R, E) and max(R, E) and the targets fit the node's allocatable. Dimensions that are not
     * node-local, or that the node does not declare, keep target = E.
     */
    @Property(tries = 1000)
    void nodeTargetsFitTheirNode(@ForAll("clusters") GeneratedCluster c) {
        checkNodeTargetsFitTheirNode(run(c));
    }

    static void checkNodeTargetsFitTheirNode(Reference ref) {
        Map<String, List<WorkloadSpec>> byNode = new HashMap<>();
        for (WorkloadSpec w : ref.spec.workloads()) {
            if (ref.active(w)) {
                byNode.computeIfAbsent(ref.status(w).node(), k -> new ArrayList<>()).add(w);
            }
        }
        for (Map.Entry<String, List<WorkloadSpec>> e : byNode.entrySet()) {
            NodeSpec n = ref.nodes.get(e.getKey());
            for (Dimension d : ref.plan.dimensions()) {
                boolean bounded = d.nodeLocal() && n.allocatable().containsKey(d);
                long sumE = 0;
                long sumT = 0;
                StringBuilder listing = new StringBuilder();
                for (WorkloadSpec w : e.getValue()) {
                    WorkloadDimensionStatus s = ref.status(w, d);
                    sumE = Sat.add(sumE, s.entitlement());
                    sumT = Sat.add(sumT, s.nodeTarget());
                    listing.append("\n   ").append(w.key()).append(" R=").append(s.reservation()).append(" E=")
                            .append(Sat.show(s.entitlement())).append(" target=").append(Sat.show(s.nodeTarget()));
                }
                String where = "node " + n.name() + " " + d.jsonName() + " (free " + Sat.show(Reference.free(n, d))
                        + ", allocatable " + n.allocatable().get(d) + ")" + listing;
                for (WorkloadSpec w : e.getValue()) {
                    WorkloadDimensionStatus s = ref.status(w, d);
                    long r = Reference.reservation(w, d);
                    boolean mustEqual = !bounded || sumE <= Reference.free(n, d);
                    if (mustEqual && s.nodeTarget() != s.entitlement()) {
                        throw new AssertionError("target ≠ E although the entitlements fit, " + where);
                    }
                    if (s.nodeTarget() < Math.min(r, s.entitlement()) || s.nodeTarget() > Math.max(r, s.entitlement())) {
                        throw new AssertionError("target outside [min(R,E), max(R,E)] for " + w.key() + ", " + where);
                    }
                }
                if (bounded && sumE > Reference.free(n, d) && sumT > n.allocatable().get(d)) {
                    throw new AssertionError("targets exceed the node, " + where);
                }
            }
        }
    }

    /** Every check of this class, for plans reached in other ways (e.g. after feedback). */
    static void checkAll(Reference ref) {
        checkEntitlementLiesBetweenFloorAndCeiling(ref);
        checkChildrenNeverGetMoreThanTheirParent(ref);
        checkNoCapacityIdleWhileAChildWantsMore(ref);
        checkReservationIsGuaranteedUpToDemand(ref);
        checkEntitlementRespectsEffectiveLimit(ref);
        checkSharesSplitWhatIsContended(ref);
        checkInactiveObjectsAreEntitledToNothing(ref);
        checkNodeTargetsFitTheirNode(ref);
    }
}
