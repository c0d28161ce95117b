package io.respool.engine.property;

import io.respool.engine.Dimension;
import io.respool.engine.PoolSpec;
import io.respool.engine.WorkloadSpec;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Section 5: per-workload caps enforce the workload's own limit and its pools' limits collectively. */
class CapPropertiesTest {

    @Provide
    Arbitrary<GeneratedCluster> clusters() {
        return ClusterArbitraries.clusters();
    }

    /** Active workloads anywhere below pool {@code name}. */
    static List<WorkloadSpec> activeBelow(Reference ref, String name) {
        List<WorkloadSpec> out = new ArrayList<>();
        for (WorkloadSpec w : ref.workloadsIn(name)) {
            if (ref.active(w)) {
                out.add(w);
            }
        }
        for (PoolSpec c : ref.childPools(name)) {
            out.addAll(activeBelow(ref, c.name()));
        }
        return out;
    }

    /** Section 5: "Σ caps ≤ L_P always", over the active workloads of a limited pool's subtree. */
    @Property(tries = 1000)
    void capsOfAPoolStayWithinItsLimit(@ForAll("clusters") GeneratedCluster c) {
        checkCapsOfAPoolStayWithinItsLimit(EntitlementPropertiesTest.run(c));
    }

    static void checkCapsOfAPoolStayWithinItsLimit(Reference ref) {
        for (Dimension d : ref.plan.dimensions()) {
            for (PoolSpec p : ref.spec.pools()) {
                long limit = p.allocation(d).limit();
                if (limit == Sat.INF) {
                    continue;
                }
                long sum = 0;
                StringBuilder listing = new StringBuilder();
                for (WorkloadSpec w : activeBelow(ref, p.name())) {
                    long cap = ref.status(w, d).cap();
                    sum = Sat.add(sum, cap);
                    listing.append(' ').append(w.key()).append('=').append(Sat.show(cap));
                }
                if (sum > limit) {
                    throw new AssertionError("pool " + p.name() + " " + d.jsonName() + ": Σ caps " + Sat.show(sum)
                            + " > limit " + limit + ":" + listing);
                }
            }
        }
    }

    /**
     * Section 5: cap_w ≤ its own limit (VM defaults applied) and ≤ its effective limit; in a Valid
     * tree an admitted, active workload's cap never cuts into its reservation.
     */
    @Property(tries = 1000)
    void capRespectsOwnLimitAndReservation(@ForAll("clusters") GeneratedCluster c) {
        checkCapRespectsOwnLimitAndReservation(EntitlementPropertiesTest.run(c));
    }

    static void checkCapRespectsOwnLimitAndReservation(Reference ref) {
        for (Dimension d : ref.plan.dimensions()) {
            boolean valid = ref.validTree(d);
            for (WorkloadSpec w : ref.spec.workloads()) {
                if (!ref.active(w)) {
                    continue;
                }
                long cap = ref.status(w, d).cap();
                String who = w.key() + " " + d.jsonName() + ": cap " + Sat.show(cap);
                if (cap > Reference.ownLimit(w, d)) {
                    throw new AssertionError(who + " > own limit " + Sat.show(Reference.ownLimit(w, d)));
                }
                if (cap > ref.effectiveLimit(w, d)) {
                    throw new AssertionError(who + " > effective limit " + Sat.show(ref.effectiveLimit(w, d)));
                }
                if (valid && cap < Reference.reservation(w, d)) {
                    throw new AssertionError(who + " < reservation " + Reference.reservation(w, d)
                            + " in a Valid tree");
                }
            }
        }
    }
}
