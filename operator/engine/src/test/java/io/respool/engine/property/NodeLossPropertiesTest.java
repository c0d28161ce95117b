package io.respool.engine.property;

import io.respool.engine.ClusterSpec;
import io.respool.engine.Dimension;
import io.respool.engine.Engine;
import io.respool.engine.NodeSpec;
import io.respool.engine.Plan;
import io.respool.engine.WorkloadSpec;
import io.respool.engine.WorkloadStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Section 4, Overcommitted: capacity falls below what is reserved when nodes are lost. Admitted
 * workloads stay admitted, the entitlement guarantees hold with floors scaled down, and no new
 * workload is admitted into a dimension whose capacity is already overcommitted.
 */
class NodeLossPropertiesTest {

    @Provide
    Arbitrary<GeneratedCluster> clusters() {
        return ClusterArbitraries.clusters();
    }

    @Provide
    Arbitrary<List<ClusterArbitraries.WorkloadGene>> newcomers() {
        return ClusterArbitraries.newcomerGenes();
    }

    /** Which nodes are lost: bit i set means node i goes NotReady. */
    @Provide
    Arbitrary<Integer> lost() {
        return Arbitraries.integers().between(1, 63);
    }

    static ClusterSpec loseNodes(ClusterSpec spec, int lost) {
        List<NodeSpec> nodes = new ArrayList<>();
        for (int i = 0; i < spec.nodes().size(); i++) {
            NodeSpec n = spec.nodes().get(i);
            nodes.add((lost & (1 << i)) != 0
                    ? new NodeSpec(n.name(), n.labels(), false, n.schedulable(), n.allocatable(), n.otherRequests())
                    : n);
        }
        return new ClusterSpec(spec.pools(), spec.workloads(), nodes, spec.namespaceLabels());
    }

    @Property(tries = 1000)
    void losingNodesNeverEvictsAndScalesFloors(@ForAll("clusters") GeneratedCluster c,
                                               @ForAll("lost") int lost,
                                               @ForAll("newcomers") List<ClusterArbitraries.WorkloadGene> genes) {
        Plan first = Engine.compute(c.spec());
        List<WorkloadSpec> extra = ClusterArbitraries.newcomers(genes, c.spec(), c.dims());
        ClusterSpec after = loseNodes(Feedback.withAdmissions(c.spec(), first, extra), lost);
        Plan second = Engine.compute(after);
        Reference ref = new Reference(after, second);
        Invariants.everythingHasAStatus(ref);
        ref.checkGrants();

        Map<String, WorkloadStatus> now = new HashMap<>();
        second.workloads().forEach(s -> now.put(s.key(), s));
        for (WorkloadStatus before : first.workloads()) {
            if (before.admitted() && !now.get(before.key()).admitted()) {
                throw new AssertionError(before.key() + " was admitted, and is evicted after losing nodes: "
                        + now.get(before.key()).reason() + ": " + now.get(before.key()).message());
            }
        }
        // Reservations held by the workloads admitted before, against what is left.
        for (Dimension d : second.dimensions()) {
            long held = 0;
            for (WorkloadStatus s : first.workloads()) {
                // A dimension only the extra workloads bring in was not in the first plan: nothing held.
                if (s.admitted() && s.dimension(d) != null) {
                    held = Sat.add(held, s.dimension(d).reservation());
                }
            }
            if (held <= ref.capacity.get(d)) {
                continue;
            }
            for (WorkloadSpec w : extra) {
                if (ref.status(w).admitted() && Reference.reservation(w, d) > 0) {
                    throw new AssertionError(d.jsonName() + " is overcommitted (" + held + " reserved, capacity "
                            + ref.capacity.get(d) + ") yet newcomer " + w.key() + " was admitted reserving "
                            + Reference.reservation(w, d));
                }
            }
        }
        EntitlementPropertiesTest.checkEntitlementLiesBetweenFloorAndCeiling(ref);
        EntitlementPropertiesTest.checkChildrenNeverGetMoreThanTheirParent(ref);
        EntitlementPropertiesTest.checkEntitlementRespectsEffectiveLimit(ref);
        CapPropertiesTest.checkCapsOfAPoolStayWithinItsLimit(ref);
    }
}
