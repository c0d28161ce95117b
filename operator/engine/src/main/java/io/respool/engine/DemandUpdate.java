package io.respool.engine;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Objects;
import java.util.Set;

/**
 * The node agent's steady feedback applied in place: a new measured demand of one workload moves
 * demand, entitlements (semantics.md section 6), caps (section 5) and node targets, and nothing
 * else. Redoes only the splits the change reaches, with the same code as the full run, so the
 * result is identical to a full computation.
 */
final class DemandUpdate {

    private static final Dimension[] DIMS = Dimension.values();
    private static final int ND = DIMS.length;
    private static final int ROOT = PoolTree.ROOT;

    private final PoolTree tree;
    private final Set<Dimension> dimensions;
    private final long[] capacity;
    private final Workloads workloads;
    private final Entitlements entitlements;
    private final Caps caps;

    private final WorkloadSpec[] ws;
    private final int[] pool;
    private final long[][] wDemand;
    private final int[] node;
    private final boolean[] active;
    private final boolean[] poolActive;
    private final long[][] pDemand;
    private final long[][] pEnt;
    private final long[][] wEnt;
    private final long[][] wTarget;

    DemandUpdate(PoolTree tree, Set<Dimension> dimensions, long[] capacity, Workloads workloads,
                 Admission admission, Entitlements entitlements, Caps caps) {
        this.tree = tree;
        this.dimensions = dimensions;
        this.capacity = capacity;
        this.workloads = workloads;
        this.entitlements = entitlements;
        this.caps = caps;
        ws = workloads.ws;
        pool = workloads.pool;
        wDemand = workloads.wDemand;
        node = admission.node;
        active = entitlements.active;
        poolActive = entitlements.poolActive;
        pDemand = entitlements.pDemand;
        pEnt = entitlements.pEnt;
        wEnt = entitlements.wEnt;
        wTarget = entitlements.wTarget;
    }

    /** Whether {@code changed} differs from workload w only in its measured demand. */
    boolean onlyDemandDiffers(int w, WorkloadSpec changed) {
        WorkloadSpec old = ws[w];
        // A demand in a dimension not yet in play changes what the plan reports: recompute.
        return dimensions.containsAll(changed.demand().keySet()) && old.kind() == changed.kind() && Objects.equals(old.pool(), changed.pool())
                && old.vcpus() == changed.vcpus() && old.memorySize() == changed.memorySize()
                && old.allocations().equals(changed.allocations()) && old.nodeSelector().equals(changed.nodeSelector())
                && old.running() == changed.running() && old.admitted() == changed.admitted()
                && Objects.equals(old.node(), changed.node()) && old.order() == changed.order();
    }

    /**
     * Applies a new measured demand of workload w, the node agent's steady feedback, without a
     * full recompute: demand is summed up its path again, then each pool is split again from the
     * root down, descending only along that path and into pools whose entitlement or budget moved,
     * and the nodes of workloads whose entitlement moved are fitted again. Identical to a full
     * computation; it costs the part of the tree the change really moves.
     */
    Changes updateDemand(int w, WorkloadSpec changed) {
        Changes changes = new Changes();
        ws[w] = changed;
        boolean[] onPath = new boolean[tree.size];
        for (int p = pool[w]; p >= 0; p = p == ROOT ? -1 : tree.parent[p]) {
            onPath[p] = true;
        }
        BitSet nodesToFit = new BitSet();
        for (int di = 0; di < ND; di++) {
            Long measured = changed.demand().get(DIMS[di]);
            long demand = measured != null ? Math.max(0, measured) : workloads.sizeDemand(w, di);
            if (demand == wDemand[di][w]) {
                continue;
            }
            wDemand[di][w] = demand;
            changes.workload(w);
            if (!active[w]) {
                continue;
            }
            for (int p = pool[w]; p >= 0; p = p == ROOT ? -1 : tree.parent[p]) {
                pDemand[di][p] = Math.min(tree.limit[di][p], entitlements.activeDemandBelow(di, p));
            }
            pEnt[di][ROOT] = Math.min(capacity[di], pDemand[di][ROOT]);
            descendEntitlement(di, ROOT, onPath, changes);
            descendCaps(di, ROOT, onPath, changes);
            if (DIMS[di].nodeLocal()) {
                nodesToFit.clear();
                for (int m = changes.workloads.nextSetBit(0); m >= 0; m = changes.workloads.nextSetBit(m + 1)) {
                    if (active[m]) {
                        nodesToFit.set(node[m]);
                    }
                }
                for (int n = nodesToFit.nextSetBit(0); n >= 0; n = nodesToFit.nextSetBit(n + 1)) {
                    entitlements.fitNode(di, n, changes);
                }
            } else {
                for (int m = changes.workloads.nextSetBit(0); m >= 0; m = changes.workloads.nextSetBit(m + 1)) {
                    wTarget[di][m] = wEnt[di][m];
                }
            }
        }
        return changes;
    }

    private void descendEntitlement(int di, int p, boolean[] onPath, Changes changes) {
        changes.movedChildren.clear();
        entitlements.splitEntitlement(di, p, changes);
        int[] next = nextPools(p, onPath, changes);
        for (int c : next) {
            descendEntitlement(di, c, onPath, changes);
        }
    }

    private void descendCaps(int di, int p, boolean[] onPath, Changes changes) {
        changes.movedChildren.clear();
        caps.splitCap(di, p, changes);
        int[] next = nextPools(p, onPath, changes);
        for (int c : next) {
            descendCaps(di, c, onPath, changes);
        }
    }

    /** Active child pools of p on the changed path or whose share just moved. */
    private int[] nextPools(int p, boolean[] onPath, Changes changes) {
        int[] kids = tree.childPools[p];
        int[] next = new int[kids.length];
        int n = 0;
        for (int c : kids) {
            if (poolActive[c] && (onPath[c] || changes.movedChildren.get(c))) {
                next[n++] = c;
            }
        }
        return Arrays.copyOf(next, n);
    }
}
