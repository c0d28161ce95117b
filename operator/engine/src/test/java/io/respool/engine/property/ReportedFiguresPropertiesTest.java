package io.respool.engine.property;

import io.respool.engine.Allocation;
import io.respool.engine.Dimension;
import io.respool.engine.PoolDimensionStatus;
import io.respool.engine.PoolSpec;
import io.respool.engine.WorkloadDimensionStatus;
import io.respool.engine.WorkloadSpec;
import java.util.EnumSet;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The per-object figures the other properties build on, as sections 1, 2, 3, 5 and 6.1 define
 * them: capacity, dimensions in play, reservations and limits as given (VM defaults applied),
 * effective limits, demand, share presets and scalable shares.
 */
class ReportedFiguresPropertiesTest {

    @Provide
    Arbitrary<GeneratedCluster> clusters() {
        return ClusterArbitraries.clusters();
    }

    /** Shares agree when within one share (rounding) and positive (section 2: S > 0). */
    static boolean sharesAgree(long reported, double expected) {
        return sharesWithin(reported, expected, expected);
    }

    /** Positive and within [low − 1, high + 1]. */
    static boolean sharesWithin(long reported, double low, double high) {
        double slack = Math.max(1, high * 1e-9);
        return reported >= 1 && reported >= low - slack && reported <= high + slack;
    }

    /** Sections 1, 2: cpu and memory always in play, and every dimension an object sets; root capacity. */
    @Property(tries = 1000)
    void dimensionsAndCapacity(@ForAll("clusters") GeneratedCluster c) {
        Reference ref = EntitlementPropertiesTest.run(c);
        Set<Dimension> set = EnumSet.of(Dimension.CPU, Dimension.MEMORY);
        ref.spec.pools().forEach(p -> set.addAll(p.allocations().keySet()));
        ref.spec.workloads().forEach(w -> {
            set.addAll(w.allocations().keySet());
            set.addAll(w.demand().keySet());
        });
        if (!ref.plan.dimensions().containsAll(set)) {
            throw new AssertionError("plan dimensions " + ref.plan.dimensions() + " miss some of " + set);
        }
        for (Dimension d : ref.plan.dimensions()) {
            Long cap = ref.plan.capacity().get(d);
            if (cap == null || cap.longValue() != ref.capacity.get(d)) {
                throw new AssertionError(d.jsonName() + " capacity " + cap + ", expected Σ over Ready, schedulable"
                        + " nodes of allocatable − other requests = " + Sat.show(ref.capacity.get(d)));
            }
        }
    }

    /** Section 2, 3, 5 for pools: R, L, expandable as given; effective limit; preset and scalable shares. */
    @Property(tries = 1000)
    void poolFigures(@ForAll("clusters") GeneratedCluster c) {
        Reference ref = EntitlementPropertiesTest.run(c);
        for (Dimension d : ref.plan.dimensions()) {
            for (PoolSpec p : ref.spec.pools()) {
                PoolDimensionStatus s = ref.status(p, d);
                Allocation a = p.allocation(d);
                String who = "pool " + p.name() + " " + d.jsonName() + ": ";
                if (s.reservation() != a.reservation() || s.limit() != a.limit() || s.expandable() != a.expandable()) {
                    throw new AssertionError(who + "reports " + s + " for allocation " + a);
                }
                if (s.effectiveLimit() != ref.poolEffectiveLimit(p.name(), d)) {
                    throw new AssertionError(who + "effective limit " + Sat.show(s.effectiveLimit()) + ", expected "
                            + Sat.show(ref.poolEffectiveLimit(p.name(), d)));
                }
                double preset = Reference.poolShares(p, d);
                if (!sharesAgree(s.shares(), preset)) {
                    throw new AssertionError(who + "shares " + s.shares() + ", section 3 gives " + preset
                            + " for " + a.shares());
                }
                PoolSpec parent = p.parent() == null ? null : ref.pools.get(p.parent());
                double effective = preset;
                if (parent != null && parent.scalableShares()) {
                    if (!ref.activePool(p.name())) {
                        continue;
                    }
                    double m = Reference.scalableMultiplier(p, d);
                    if (Double.isNaN(m)) {
                        continue;
                    }
                    effective = m * ref.activeWorkloadSharesBelow(p.name(), d);
                }
                if (!sharesAgree(s.effectiveShares(), effective)) {
                    throw new AssertionError(who + "effective shares " + s.effectiveShares() + ", section 3 gives "
                            + effective + (parent != null && parent.scalableShares() ? " (scalable parent "
                            + parent.name() + ")" : ""));
                }
            }
        }
    }

    /** Sections 3, 5, 6.1 for workloads: R, L (VM defaults), effective limit, shares, demand. */
    @Property(tries = 1000)
    void workloadFigures(@ForAll("clusters") GeneratedCluster c) {
        Reference ref = EntitlementPropertiesTest.run(c);
        for (Dimension d : ref.plan.dimensions()) {
            for (WorkloadSpec w : ref.spec.workloads()) {
                if (!ref.knownPool(Reference.poolKey(w)) || !ref.namespaceAllowed(w)) {
                    continue; // not in the tree: pool limits have no say over it
                }
                WorkloadDimensionStatus s = ref.status(w, d);
                String who = w.key() + " " + d.jsonName() + ": ";
                if (s.reservation() != Reference.reservation(w, d)) {
                    throw new AssertionError(who + "reservation " + s.reservation() + ", given " + Reference.reservation(w, d));
                }
                if (s.limit() != Reference.ownLimit(w, d)) {
                    throw new AssertionError(who + "limit " + Sat.show(s.limit()) + ", expected "
                            + Sat.show(Reference.ownLimit(w, d)) + " (section 5, VM defaults)");
                }
                if (s.effectiveLimit() != ref.effectiveLimit(w, d)) {
                    throw new AssertionError(who + "effective limit " + Sat.show(s.effectiveLimit()) + ", expected "
                            + Sat.show(ref.effectiveLimit(w, d)));
                }
                // Rounding latitude: memory may count whole MiB; a tiny size may be raised to 1
                // share before the level applies (so "high" gives 2).
                double exact = Reference.workloadShares(w, d);
                double factor = w.allocation(d).shares().level() == io.respool.engine.Shares.Level.CUSTOM
                        ? 1 : Reference.levelFactor(w.allocation(d).shares());
                if (!sharesWithin(s.shares(), Reference.workloadSharesWholeMib(w, d), Math.max(exact, factor))) {
                    throw new AssertionError(who + "shares " + s.shares() + ", section 3 gives "
                            + Reference.workloadShares(w, d) + " for " + w.allocation(d).shares());
                }
                if (s.demand() != Reference.demand(w, d)) {
                    throw new AssertionError(who + "demand " + Sat.show(s.demand()) + ", section 6.1 gives "
                            + Sat.show(Reference.demand(w, d)));
                }
            }
        }
    }
}
