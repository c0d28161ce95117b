package io.respool.engine;

/**
 * Entitlement (semantics.md section 6): which workloads and pools are active, demand summed up the
 * tree, each pool's entitlement water-filled over its active children from the root down, and the
 * per-node targets when a node's entitlements exceed it. Numbers live in arrays indexed
 * [dimension][pool or workload]; the incremental update ({@link DemandUpdate}) redoes parts of
 * the same splits.
 */
final class Entitlements {

    private static final Dimension[] DIMS = Dimension.values();
    private static final int ND = DIMS.length;
    private static final int ROOT = PoolTree.ROOT;

    private final PoolTree tree;
    private final Placement placement;
    private final long[] capacity;
    private final Admission admission;

    // What the workloads ask for, shared with Workloads; where admission put them.
    private final int nw;
    private final long[][] wRes;
    private final long[][] wLim;
    private final long[][] wShares;
    private final long[][] wDemand;
    private final int[][] poolWorkloads;
    private final int[] pool;
    private final boolean[] admitted;
    private final int[] node;
    private final long[][] used;

    /** Admitted, placed and running: it has a cgroup to fill. */
    final boolean[] active;
    /** Pools with an active workload below them. */
    final boolean[] poolActive;
    /** Each pool's own active workloads, canonical order (a subsequence of its workloads). */
    final int[][] activeIn;
    final long[][] pDemand;
    final long[][] pEnt;
    final long[][] pEffShares;
    /** The pool's split had to scale its children's floors (section 6, step 3). */
    final boolean[][] floorsScaled;
    final long[][] wEnt;
    final long[][] wTarget;
    /** Active workloads per node, canonical order (set by computeNodeTargets). */
    private int[][] activeOnNode;
    /** Scratch arrays for one pool's or node's children, sized for the largest; {@link Caps} uses them too. */
    final long[] scratchLo;
    final long[] scratchHi;
    final long[] scratchWeight;
    final long[] scratchOut;
    final WaterFill waterFill = new WaterFill();

    Entitlements(PoolTree tree, Placement placement, long[] capacity, Workloads workloads, Admission admission) {
        this.tree = tree;
        this.placement = placement;
        this.capacity = capacity;
        this.admission = admission;
        nw = workloads.nw;
        wRes = workloads.wRes;
        wLim = workloads.wLim;
        wShares = workloads.wShares;
        wDemand = workloads.wDemand;
        poolWorkloads = workloads.poolWorkloads;
        pool = workloads.pool;
        admitted = admission.admitted;
        node = admission.node;
        used = admission.used;
        int np = tree.size;
        active = new boolean[nw];
        poolActive = new boolean[np];
        activeIn = new int[np][];
        pDemand = new long[ND][np];
        pEnt = new long[ND][np];
        pEffShares = new long[ND][np];
        floorsScaled = new boolean[ND][np];
        wEnt = new long[ND][nw];
        wTarget = new long[ND][nw];
        // A node may end up with every workload, a pool with all its children.
        int scratch = Math.max(maxChildren(), Math.max(1, nw));
        scratchLo = new long[scratch];
        scratchHi = new long[scratch];
        scratchWeight = new long[scratch];
        scratchOut = new long[scratch];
    }

    private int maxChildren() {
        int max = 1;
        for (int p = 0; p < tree.size; p++) {
            max = Math.max(max, tree.childPools[p].length + poolWorkloads[p].length);
        }
        return max;
    }

    // ---------------------------------------------------------------- demand (step 1)

    void computeDemand() {
        // The workloads' own part of each pool's sums, in input order: sums do not depend on the
        // order, and the workload arrays are then read in sequence rather than pool by pool; one
        // dimension at a time, so that only two of them are read at once.
        long[][] shareSum = new long[ND][tree.size];
        long[][] workloadDemand = new long[ND][tree.size];
        for (int w = 0; w < nw; w++) {
            // Admitted implies running: a stopped workload is refused NotRunning before admission.
            active[w] = admitted[w] && node[w] >= 0;
        }
        for (int p = 0; p < tree.size; p++) {
            activeIn[p] = activeOnly(poolWorkloads[p]);
        }
        for (int di = 0; di < ND; di++) {
            long[] demand = wDemand[di];
            long[] shares = wShares[di];
            long[] demandSum = workloadDemand[di];
            long[] sharesSum = shareSum[di];
            for (int w = 0; w < nw; w++) {
                if (active[w]) {
                    int p = pool[w];
                    demandSum[p] = Quantities.add(demandSum[p], demand[w]);
                    sharesSum[p] += shares[w];
                }
            }
        }
        int[] order = tree.treeOrder;
        long[] sum = new long[ND];
        for (int k = order.length - 1; k >= 0; k--) {
            int p = order[k];
            boolean any = activeIn[p].length > 0;
            for (int di = 0; di < ND; di++) {
                sum[di] = workloadDemand[di][p];
            }
            for (int c : tree.childPools[p]) {
                if (poolActive[c]) {
                    any = true;
                    for (int di = 0; di < ND; di++) {
                        sum[di] = Quantities.add(sum[di], pDemand[di][c]);
                    }
                }
            }
            for (int di = 0; di < ND; di++) {
                pDemand[di][p] = Math.min(tree.limit[di][p], sum[di]);
                if (p != ROOT) {
                    shareSum[di][tree.parent[p]] += shareSum[di][p];
                }
            }
            poolActive[p] = any;
        }
        for (int k = 1; k < order.length; k++) {
            int p = order[k];
            int parent = tree.parent[p];
            boolean scalable = parent != ROOT && tree.spec[parent].scalableShares();
            for (Dimension d : DIMS) {
                int di = d.ordinal();
                pEffShares[di][p] = scalable
                        ? Math.max(1, Math.round(SharePresets.scalableMultiplier(d, tree.spec[p].allocation(d).shares())
                                * shareSum[di][p]))
                        : tree.shares[di][p];
            }
        }
    }

    private int[] activeOnly(int[] workloads) {
        int n = 0;
        for (int w : workloads) {
            if (active[w]) {
                n++;
            }
        }
        if (n == workloads.length) {
            return workloads;
        }
        int[] only = new int[n];
        n = 0;
        for (int w : workloads) {
            if (active[w]) {
                only[n++] = w;
            }
        }
        return only;
    }

    /** Demand of pool p from its active children: D_P before the pool's own limit. */
    long activeDemandBelow(int di, int p) {
        long sum = 0;
        for (int x : activeIn[p]) {
            sum = Quantities.add(sum, wDemand[di][x]);
        }
        for (int c : tree.childPools[p]) {
            if (poolActive[c]) {
                sum = Quantities.add(sum, pDemand[di][c]);
            }
        }
        return sum;
    }

    // ---------------------------------------------------------------- entitlements (steps 2 and 3)

    private long poolFloor(int di, int c) {
        return Math.min(Math.max(admission.effectiveReservation(di, c), used[di][c]), pDemand[di][c]);
    }

    /** The root's entitlement in dimension di, where the top-down splits start. */
    void startDimension(int di) {
        pEnt[di][ROOT] = Math.min(capacity[di], pDemand[di][ROOT]);
    }

    /**
     * Water-fills pool p's entitlement over its active children (section 6, step 3). With
     * {@code changes}, records the children whose entitlement moved.
     */
    void splitEntitlement(int di, int p, Changes changes) {
        long[] lo = scratchLo;
        long[] hi = scratchHi;
        long[] wt = scratchWeight;
        long[] out = scratchOut;
        int n = 0;
        for (int c : tree.childPools[p]) {
            if (poolActive[c]) {
                long l = poolFloor(di, c);
                lo[n] = l;
                hi[n] = Math.max(l, Math.min(tree.limit[di][c], pDemand[di][c]));
                wt[n++] = pEffShares[di][c];
            }
        }
        long[] res = wRes[di];
        long[] lim = wLim[di];
        long[] demand = wDemand[di];
        long[] shares = wShares[di];
        for (int w : activeIn[p]) {
            long d = demand[w];
            long l = Math.min(res[w], d);
            lo[n] = l;
            hi[n] = Math.max(l, Math.min(lim[w], d));
            wt[n++] = shares[w];
        }
        boolean scaled = waterFill.fill(pEnt[di][p], n, lo, hi, wt, out);
        if (changes != null && scaled != floorsScaled[di][p]) {
            healthMayChange(p, changes);
        }
        floorsScaled[di][p] = scaled;
        int k = 0;
        for (int c : tree.childPools[p]) {
            if (poolActive[c]) {
                long e = out[k++];
                if (changes != null && e != pEnt[di][c]) {
                    changes.pool(c);
                }
                pEnt[di][c] = e;
            }
        }
        long[] ent = wEnt[di];
        for (int w : activeIn[p]) {
            long e = out[k++];
            if (changes != null && e != ent[w]) {
                changes.workload(w);
            }
            ent[w] = e;
        }
    }

    // ---------------------------------------------------------------- per-node targets

    void computeNodeTargets() {
        activeOnNode = admission.workloadsByNode(active);
        for (int di = 0; di < ND; di++) {
            System.arraycopy(wEnt[di], 0, wTarget[di], 0, nw);
            if (DIMS[di].nodeLocal()) {
                for (int n = 0; n < placement.nodes.length; n++) {
                    fitNode(di, n, null);
                }
            }
        }
    }

    /** Section 6, per node: when entitlements exceed the node, water-fill it with floors R and weights E. */
    void fitNode(int di, int n, Changes changes) {
        long free = placement.free[di][n];
        int[] here = activeOnNode[n];
        long sum = 0;
        for (int w : here) {
            sum = Quantities.add(sum, wEnt[di][w]);
        }
        int k = here.length;
        if (free == Quantities.UNLIMITED || sum <= free) {
            for (int w : here) {
                setTarget(di, w, wEnt[di][w], changes);
            }
            return;
        }
        long[] lo = scratchLo;
        long[] hi = scratchHi;
        long[] out = scratchOut;
        for (int i = 0; i < k; i++) {
            hi[i] = wEnt[di][here[i]];
            lo[i] = Math.min(wRes[di][here[i]], hi[i]);
        }
        waterFill.fill(free, k, lo, hi, hi, out);
        for (int i = 0; i < k; i++) {
            setTarget(di, here[i], out[i], changes);
        }
    }

    private void setTarget(int di, int w, long target, Changes changes) {
        if (changes != null && wTarget[di][w] != target) {
            changes.workload(w);
        }
        wTarget[di][w] = target;
    }

    /**
     * Overcommitment is inherited (section 4): when a pool's floors start or stop being scaled,
     * the health of every pool at and below it may change. The root has no status of its own.
     */
    private void healthMayChange(int p, Changes changes) {
        if (p != PoolTree.ROOT) {
            changes.pools.set(p);
        }
        for (int c : tree.childPools[p]) {
            healthMayChange(c, changes);
        }
    }
}
