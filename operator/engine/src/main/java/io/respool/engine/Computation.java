package io.respool.engine;

import java.util.EnumSet;
import java.util.Set;

/**
 * One run of the model over a whole cluster, in the order of semantics.md: tree, workloads,
 * admission with placement, demand, entitlements, caps, per-node targets, cgroup values.
 * Each step is its own collaborator; they share arrays indexed [dimension][pool or workload]
 * so that large clusters stay cheap.
 */
final class Computation {

    private static final Dimension[] DIMS = Dimension.values();

    private final PoolTree tree;
    private final Admission admission;
    private final Entitlements entitlements;
    private final Caps caps;
    private final DemandUpdate demandUpdate;
    private final PlanView view;

    Computation(ClusterSpec input) {
        tree = new PoolTree(input.pools());
        Placement placement = new Placement(input.nodes());
        Set<Dimension> dimensions = dimensionsInPlay(input);
        long[] capacity = new long[DIMS.length];
        for (Dimension d : DIMS) {
            capacity[d.ordinal()] = placement.capacity(d);
        }
        Workloads workloads = new Workloads(input, tree);
        admission = new Admission(tree, placement, dimensions, capacity, workloads);
        entitlements = new Entitlements(tree, placement, capacity, workloads, admission);
        caps = new Caps(tree, workloads, admission, entitlements);
        demandUpdate = new DemandUpdate(tree, dimensions, capacity, workloads, admission, entitlements, caps);
        view = new PlanView(tree, placement, dimensions, capacity, workloads, admission, entitlements, caps);
    }

    static Set<Dimension> dimensionsInPlay(ClusterSpec in) {
        Set<Dimension> set = EnumSet.of(Dimension.CPU, Dimension.MEMORY);
        for (PoolSpec p : in.pools()) {
            set.addAll(p.allocations().keySet());
        }
        for (WorkloadSpec w : in.workloads()) {
            if (set.size() == DIMS.length) {
                break;
            }
            set.addAll(w.allocations().keySet());
            set.addAll(w.demand().keySet());
        }
        for (NodeSpec n : in.nodes()) {
            set.addAll(n.allocatable().keySet());
        }
        return set;
    }

    Plan run() {
        admission.admit();
        entitlements.computeDemand();
        entitlementsAndCaps(tree, entitlements, caps);
        entitlements.computeNodeTargets();
        return view.assemble();
    }

    /**
     * Entitlements and caps are both split top-down, pool by pool, and neither needs the other:
     * one walk does both, so the caps read a pool's workload numbers while the entitlement split
     * has just brought them into the cache.
     */
    static void entitlementsAndCaps(PoolTree tree, Entitlements entitlements, Caps caps) {
        for (int di = 0; di < DIMS.length; di++) {
            entitlements.startDimension(di);
            caps.startDimension(di);
            for (int p : tree.treeOrder) {
                if (entitlements.poolActive[p]) {
                    entitlements.splitEntitlement(di, p, null);
                }
                caps.splitCap(di, p, null);
            }
        }
    }

    /** Whether {@code changed} differs from workload w only in its measured demand. */
    boolean onlyDemandDiffers(int w, WorkloadSpec changed) {
        return demandUpdate.onlyDemandDiffers(w, changed);
    }

    /** Applies a new measured demand of workload w in place (see {@link DemandUpdate}). */
    Changes updateDemand(int w, WorkloadSpec changed) {
        return demandUpdate.updateDemand(w, changed);
    }

    Plan assemble() {
        return view.assemble();
    }

    /** The status of pool index p (valid or not). */
    PoolStatus poolStatusOf(int p) {
        return view.poolStatusOf(p);
    }
}
