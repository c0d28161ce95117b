package io.respool.engine;

/**
 * Caps (semantics.md section 5): each limited pool's limit split over its active subtree, so that
 * every workload gets a cap and Σ caps ≤ L_P. Runs after {@link Entitlements} and uses its demand,
 * effective shares and scratch space.
 */
final class Caps {

    private static final int ND = Dimension.values().length;
    private static final int ROOT = PoolTree.ROOT;

    private final PoolTree tree;
    private final Admission admission;
    private final WaterFill waterFill;

    private final long[][] wRes;
    private final long[][] wLim;
    private final long[][] wShares;
    private final long[][] wDemand;
    private final long[][] used;
    private final int[][] activeIn;
    private final boolean[] poolActive;
    private final long[][] pDemand;
    private final long[][] pEffShares;

    /** Per pool: the part of limited ancestors' limits it may use (section 5); UNLIMITED for none. */
    private final long[][] budget;
    final long[][] wCap;
    /** Scratch arrays: room and second are its own, the others shared with Entitlements. */
    private final long[] scratchLo;
    private final long[] scratchHi;
    private final long[] scratchRoom;
    private final long[] scratchWeight;
    private final long[] scratchOut;
    private final long[] scratchSecond;

    Caps(PoolTree tree, Workloads workloads, Admission admission, Entitlements entitlements) {
        this.tree = tree;
        this.admission = admission;
        waterFill = entitlements.waterFill;
        wRes = workloads.wRes;
        wLim = workloads.wLim;
        wShares = workloads.wShares;
        wDemand = workloads.wDemand;
        used = admission.used;
        activeIn = entitlements.activeIn;
        poolActive = entitlements.poolActive;
        pDemand = entitlements.pDemand;
        pEffShares = entitlements.pEffShares;
        budget = new long[ND][tree.size];
        wCap = new long[ND][workloads.nw];
        scratchLo = entitlements.scratchLo;
        scratchHi = entitlements.scratchHi;
        scratchWeight = entitlements.scratchWeight;
        scratchOut = entitlements.scratchOut;
        scratchRoom = new long[scratchLo.length];
        scratchSecond = new long[scratchLo.length];
    }

    /** The root has no limited ancestor: the top-down splits of dimension di start unbudgeted. */
    void startDimension(int di) {
        budget[di][ROOT] = Quantities.UNLIMITED;
    }

    /**
     * Splits pool p's budget (the smaller of its inherited piece and its own limit) over its
     * children; run top-down over the tree, this splits each limited pool's limit over its active
     * subtree. Splitting the smaller amount gives the minimum over all limited ancestors, because
     * water-filling never gives a child more from a smaller amount. First up to demand by shares,
     * then the rest by shares up to each child's own limit, so an idle workload's part moves to
     * its busy siblings and nothing of the limit is left unused.
     */
    void splitCap(int di, int p, Changes changes) {
        long b = Math.min(budget[di][p], tree.limit[di][p]);
        long[] first = scratchOut;
        int n = 0;
        if (b != Quantities.UNLIMITED) {
            long[] lo = scratchLo;
            long[] hi = scratchHi;
            long[] room = scratchRoom;
            long[] wt = scratchWeight;
            for (int c : tree.childPools[p]) {
                if (poolActive[c]) {
                    long l = Math.max(admission.effectiveReservation(di, c), used[di][c]);
                    lo[n] = l;
                    hi[n] = Math.max(l, Math.min(tree.limit[di][c], pDemand[di][c]));
                    room[n] = tree.limit[di][c];
                    wt[n++] = pEffShares[di][c];
                }
            }
            long[] res = wRes[di];
            long[] lim = wLim[di];
            long[] demand = wDemand[di];
            long[] shares = wShares[di];
            for (int w : activeIn[p]) {
                lo[n] = res[w];
                hi[n] = Math.max(res[w], Math.min(lim[w], demand[w]));
                room[n] = lim[w];
                wt[n++] = shares[w];
            }
            waterFill.fill(b, n, lo, hi, wt, first);
            long rest = b;
            for (int i = 0; i < n; i++) {
                rest -= first[i];
                room[i] = Quantities.sub(room[i], first[i]);
                lo[i] = 0;
            }
            if (rest > 0) {
                long[] second = scratchSecond;
                waterFill.fill(rest, n, lo, room, wt, second);
                for (int i = 0; i < n; i++) {
                    first[i] = Quantities.add(first[i], second[i]);
                }
            }
        }
        // No limit here or above: children inherit no budget and workloads keep their own limit.
        int k = 0;
        for (int c : tree.childPools[p]) {
            if (b == Quantities.UNLIMITED || poolActive[c]) {
                long piece = b == Quantities.UNLIMITED ? Quantities.UNLIMITED : first[k++];
                if (changes != null && piece != budget[di][c]) {
                    changes.budget(c);
                }
                budget[di][c] = piece;
            }
        }
        long[] lim = wLim[di];
        long[] cap = wCap[di];
        for (int w : activeIn[p]) {
            long c = b == Quantities.UNLIMITED ? lim[w] : Math.min(first[k++], lim[w]);
            if (changes != null && c != cap[w]) {
                changes.workload(w);
            }
            cap[w] = c;
        }
    }
}
