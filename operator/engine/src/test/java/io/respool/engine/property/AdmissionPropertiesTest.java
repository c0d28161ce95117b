package io.respool.engine.property;

import io.respool.engine.ClusterSpec;
import io.respool.engine.Dimension;
import io.respool.engine.Engine;
import io.respool.engine.Health;
import io.respool.engine.NodeSpec;
import io.respool.engine.Plan;
import io.respool.engine.PoolDimensionStatus;
import io.respool.engine.PoolSpec;
import io.respool.engine.PoolStatus;
import io.respool.engine.WorkloadSpec;
import io.respool.engine.WorkloadStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Section 4, admission control: replayed independently in admission order, and checked for the
 * promise that an admitted workload stays admitted.
 */
class AdmissionPropertiesTest {

    @Provide
    Arbitrary<GeneratedCluster> clusters() {
        return ClusterArbitraries.clusters();
    }

    @Provide
    Arbitrary<GeneratedCluster> clustersWithTies() {
        return ClusterArbitraries.clustersWithTies();
    }

    @Provide
    Arbitrary<List<ClusterArbitraries.WorkloadGene>> newcomers() {
        return ClusterArbitraries.newcomerGenes();
    }

    /**
     * Section 4 replayed in order (creation order, then name): pools' own reservations first (they
     * come first in the generated inputs; the engine's ReservationGranted must agree), then each
     * workload. A workload must be admitted iff it
     * runs, its pool exists, its namespace is allowed along the pool chain, R_w ≤ avail(P) in every
     * dimension and some node can hold it (section 7). The engine's placement of each admitted one
     * is followed, so later "a node fits" checks see what the engine saw. Refusal reasons must be
     * true. At the end the engine's used and available match the formulas of section 4.
     */
    @Property(tries = 1000)
    void admissionNeverExceedsAvailAndRefusesOnlyWhatDoesNotFit(@ForAll("clusters") GeneratedCluster c) {
        replayAdmission(EntitlementPropertiesTest.run(c));
    }

    /**
     * Section 4: "first come, first served, in order of metadata.creationTimestamp, then name".
     * The same replay with creation times shared three by three, so names decide. (In the
     * operator ties are common: timestamps have one-second resolution and a GitOps sync creates
     * many objects in the same second.)
     */
    @Property(tries = 1000)
    void equalCreationTimesAreAdmittedByName(@ForAll("clustersWithTies") GeneratedCluster c) {
        replayAdmission(EntitlementPropertiesTest.run(c));
    }

    static void replayAdmission(Reference ref) {
        ref.checkGrants();
        Reference.Ledger ledger = ref.new Ledger(ref.granted);
        Map<String, Map<Dimension, Long>> onNode = new HashMap<>();
        for (WorkloadSpec w : ref.workloadsInOrder()) {
            WorkloadStatus s = ref.status(w);
            String key = Reference.poolKey(w);
            boolean known = ref.knownPool(key);
            boolean nsOk = known && ref.namespaceAllowed(w);
            List<Dimension> shortIn = new ArrayList<>();
            StringBuilder avail = new StringBuilder();
            if (known) {
                for (Dimension d : Dimension.values()) {
                    long a = ledger.avail(key, d);
                    long r = Reference.reservation(w, d);
                    if (r > a) {
                        shortIn.add(d);
                    }
                    if (r > 0) {
                        avail.append(' ').append(d.jsonName()).append(": asks ").append(r)
                                .append(" avail ").append(Sat.show(a));
                    }
                }
            }
            List<String> candidates = new ArrayList<>();
            for (NodeSpec n : ref.spec.nodes()) {
                if (ref.eligible(w, n) && Reference.roomFor(w, n, onNode.get(n.name()))) {
                    candidates.add(n.name());
                }
            }
            boolean fits = w.running() && known && nsOk && shortIn.isEmpty() && !candidates.isEmpty();
            String situation = w.key() + " in " + key + ": running=" + w.running() + " poolKnown=" + known
                    + " namespaceAllowed=" + nsOk + avail + "; nodes that fit " + candidates;
            if (s.admitted()) {
                if (!fits) {
                    throw new AssertionError("admitted although it does not fit: " + situation);
                }
                if (!candidates.contains(s.node())) {
                    throw new AssertionError("admitted onto node " + s.node() + " that cannot hold it: " + situation);
                }
                ledger.charge(key, w);
                Reference.addReservations(onNode.computeIfAbsent(s.node(), k -> new EnumMap<>(Dimension.class)), w);
                continue;
            }
            if (fits) {
                throw new AssertionError("refused (" + s.reason() + ": " + s.message() + ") although it fits: "
                        + situation);
            }
            if (s.node() != null) {
                throw new AssertionError("refused but placed on " + s.node() + ": " + situation);
            }
            String reason = String.valueOf(s.reason());
            boolean reasonTrue = switch (reason) {
                case "NotRunning" -> !w.running();
                case "PoolNotFound" -> !known;
                case "NamespaceNotAllowed" -> known && !nsOk;
                case "InsufficientReservation" -> !shortIn.isEmpty()
                        && shortIn.stream().anyMatch(d -> s.message() != null && s.message().contains(d.jsonName()));
                case "NoNodeFits" -> candidates.isEmpty();
                default -> false;
            };
            if (!reasonTrue) {
                throw new AssertionError("refused with a reason that does not hold (" + reason + ": "
                        + s.message() + "): " + situation);
            }
        }
        for (PoolSpec p : ref.spec.pools()) {
            for (Dimension d : ref.plan.dimensions()) {
                PoolDimensionStatus s = ref.status(p, d);
                long used = ledger.used(p.name(), d);
                long avail = ledger.avail(p.name(), d);
                if (s.used() != used || s.available() != avail) {
                    throw new AssertionError("pool " + p.name() + " " + d.jsonName() + ": engine used/available "
                            + s.used() + "/" + Sat.show(s.available()) + ", section 4 gives " + used + "/"
                            + Sat.show(avail) + " (own reservation granted: " + ledger.grantedR(p.name(), d) + " of "
                            + p.allocation(d).reservation() + ")");
                }
            }
        }
    }

    /**
     * The minimum of section 4 on the engine's own figures: admitted reservations ≤ capacity; a
     * fixed pool uses ≤ R; a limited pool uses ≤ L. Plus placement soundness (section 7).
     */
    @Property(tries = 1000)
    void reservationsAreBackedByCapacity(@ForAll("clusters") GeneratedCluster c) {
        Reference ref = EntitlementPropertiesTest.run(c);
        Invariants.reservationsAreBacked(ref);
        Invariants.placementIsSound(ref);
    }

    /**
     * Section 4, health: a tree built from valid specs by admission alone never overcommits and
     * breaks no invariant, so every pool is VALID in every dimension. (Overcommitted needs lost
     * capacity; Invalid needs an edit.) Also checks the test's own claim behind it: at each pool the
     * floors of the active children fit the parent's entitlement.
     */
    @Property(tries = 1000)
    void freshTreesAreValid(@ForAll("clusters") GeneratedCluster c) {
        Reference ref = EntitlementPropertiesTest.run(c);
        for (PoolSpec p : ref.spec.pools()) {
            PoolStatus s = ref.status(p);
            for (Dimension d : ref.plan.dimensions()) {
                if (s.dimension(d).health() != Health.VALID) {
                    throw new AssertionError("pool " + p.name() + " is " + s.dimension(d).health() + " in "
                            + d.jsonName() + " (conditions " + s.conditions() + ")");
                }
            }
        }
        EntitlementPropertiesTest.forEachPool(ref, (pool, d, parentE, children) -> {
            if (EntitlementPropertiesTest.sumLo(children) > parentE) {
                throw new AssertionError("floors exceed the parent: Σ lo = " + EntitlementPropertiesTest.sumLo(children)
                        + " in " + EntitlementPropertiesTest.where(pool, d, parentE, children));
            }
        });
    }

    /**
     * Section 4: "Admitted workloads stay admitted". Run, feed the admissions back (admitted=true,
     * node), add newcomers that are older than every earlier workload (smaller order), run again:
     * every workload admitted before is still admitted, on the same node, and the new plan is
     * still sound (section 4 ledger, placement, every guarantee of section 6).
     */
    @Property(tries = 1000)
    void admittedStaysAdmitted(@ForAll("clusters") GeneratedCluster c,
                               @ForAll("newcomers") List<ClusterArbitraries.WorkloadGene> genes) {
        Plan first = Engine.compute(c.spec());
        List<WorkloadSpec> extra = ClusterArbitraries.newcomers(genes, c.spec(), c.dims());
        ClusterSpec fed = Feedback.withAdmissions(c.spec(), first, extra);
        Plan second = Engine.compute(fed);
        Map<String, WorkloadStatus> after = new HashMap<>();
        for (WorkloadStatus s : second.workloads()) {
            after.put(s.key(), s);
        }
        for (WorkloadStatus before : first.workloads()) {
            if (!before.admitted()) {
                continue;
            }
            WorkloadStatus now = after.get(before.key());
            if (now == null || !now.admitted() || !before.node().equals(now.node())) {
                throw new AssertionError(before.key() + " was admitted on " + before.node() + ", now "
                        + (now == null ? "missing" : now.admitted() ? "on " + now.node()
                        : "refused: " + now.reason() + ": " + now.message()) + "\nnewcomers:\n"
                        + new GeneratedCluster(new ClusterSpec(List.of(), extra, List.of(), Map.of()), c.dims()));
            }
        }
        Reference ref = new Reference(fed, second);
        Invariants.everythingHasAStatus(ref);
        Invariants.reservationsAreBacked(ref);
        Invariants.placementIsSound(ref);
        EntitlementPropertiesTest.checkAll(ref);
    }

    /**
     * The operator's steady state: feeding a plan's own admissions back changes nothing — same
     * admissions, nodes, figures per dimension and pool health.
     */
    @Property(tries = 1000)
    void feedingAdmissionsBackIsAFixedPoint(@ForAll("clusters") GeneratedCluster c) {
        Plan first = Engine.compute(c.spec());
        Plan second = Engine.compute(Feedback.withAdmissions(c.spec(), first, List.of()));
        Map<String, WorkloadStatus> after = new HashMap<>();
        for (WorkloadStatus s : second.workloads()) {
            after.put(s.key(), s);
        }
        for (WorkloadStatus before : first.workloads()) {
            WorkloadStatus now = after.get(before.key());
            if (now == null || now.admitted() != before.admitted() || !java.util.Objects.equals(now.node(), before.node())
                    || !now.dimensions().equals(before.dimensions())) {
                throw new AssertionError(before.key() + " changed when its admission was fed back:\n before "
                        + before + "\n after  " + now);
            }
        }
        Map<String, PoolStatus> pools = new HashMap<>();
        for (PoolStatus s : second.pools()) {
            pools.put(s.name(), s);
        }
        for (PoolStatus before : first.pools()) {
            PoolStatus now = pools.get(before.name());
            if (now == null || !now.dimensions().equals(before.dimensions()) || now.health() != before.health()) {
                throw new AssertionError("pool " + before.name() + " changed when admissions were fed back:\n before "
                        + before + "\n after  " + now);
            }
        }
    }
}
