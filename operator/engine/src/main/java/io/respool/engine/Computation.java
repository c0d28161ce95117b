package io.respool.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One run of the model over a whole cluster, in the order of semantics.md: tree, workloads,
 * admission with placement, demand, entitlements, caps, per-node targets, cgroup values.
 * Numbers live in arrays indexed [dimension][pool or workload] so that large clusters stay cheap.
 */
final class Computation {

    private static final Dimension[] DIMS = Dimension.values();
    private static final int ND = DIMS.length;
    private static final int ROOT = PoolTree.ROOT;

    // Reasons a workload carries (WorkloadStatus#reason).
    static final String ADMITTED = "Admitted";
    static final String INSUFFICIENT = "InsufficientReservation";
    static final String NO_NODE = "NoNodeFits";
    static final String POOL_NOT_FOUND = "PoolNotFound";
    static final String POOL_INVALID = "PoolInvalid";
    static final String NAMESPACE = "NamespaceNotAllowed";
    static final String INVALID = "Invalid";
    static final String NOT_RUNNING = "NotRunning";

    private final ClusterSpec input;
    private final PoolTree tree;
    private final Placement placement;
    private final Set<Dimension> dimensions;
    private final long[] capacity = new long[ND];

    // Workloads, indexed in input order.
    private final int nw;
    private final WorkloadSpec[] ws;
    private final int[] pool;
    private final long[][] wRes;
    private final long[][] wLim;
    private final long[][] wShares;
    private final long[][] wDemand;
    private final boolean[] admitted;
    private final boolean[] active;
    private final int[] node;
    private final String[] reason;
    private final String[] message;
    private final int[][] poolWorkloads;
    /** Workload indices by admission order, then key: every tie is broken in this order, not input order. */
    private final int[] canonical;
    private final Map<String, Map<String, String>> namespaceLabelCache = new java.util.HashMap<>();
    private final Placement.Filter[] vmFilters;
    private final Placement.Filter[] containerFilters;
    private final WaterFill waterFill = new WaterFill();

    // Pools, indexed as in PoolTree.
    private final long[][] used;
    private final boolean[] granted;
    private final List<List<Condition>> poolConditions;
    private final boolean[] poolActive;
    private final long[][] pDemand;
    private final long[][] pEnt;
    private final long[][] pEffShares;
    /** The pool's split had to scale its children's floors (section 6, step 3). */
    private final boolean[][] floorsScaled;

    /** Per pool: the part of limited ancestors' limits it may use (section 5); UNLIMITED for none. */
    private final long[][] budget;
    /** Active workloads per node, canonical order (set by computeNodeTargets). */
    private int[][] activeOnNode;
    /** Output order of pools and placed workloads per node, made on the first assemble (placement is fixed after). */
    private int[] poolOrder;
    private int[][] placedOnNode;
    /** Scratch arrays for one pool's or node's children, sized for the largest. */
    private long[] scratchLo;
    private long[] scratchHi;
    private long[] scratchRoom;
    private long[] scratchWeight;
    private long[] scratchOut;
    private long[] scratchSecond;

    // Results per workload.
    private final long[][] wEnt;
    private final long[][] wCap;
    private final long[][] wTarget;

    Computation(ClusterSpec input) {
        this.input = input;
        this.tree = new PoolTree(input.pools());
        this.placement = new Placement(input.nodes());
        this.dimensions = dimensionsInPlay(input);
        for (Dimension d : DIMS) {
            capacity[d.ordinal()] = placement.capacity(d);
        }
        nw = input.workloads().size();
        ws = input.workloads().toArray(WorkloadSpec[]::new);
        pool = new int[nw];
        wRes = new long[ND][nw];
        wLim = new long[ND][nw];
        wShares = new long[ND][nw];
        wDemand = new long[ND][nw];
        admitted = new boolean[nw];
        active = new boolean[nw];
        node = new int[nw];
        reason = new String[nw];
        message = new String[nw];
        int np = tree.size;
        used = new long[ND][np];
        granted = new boolean[np];
        granted[ROOT] = true;
        poolConditions = new ArrayList<>(np);
        for (int i = 0; i < np; i++) {
            poolConditions.add(new ArrayList<>(2));
        }
        poolActive = new boolean[np];
        pDemand = new long[ND][np];
        pEnt = new long[ND][np];
        pEffShares = new long[ND][np];
        floorsScaled = new boolean[ND][np];
        budget = new long[ND][np];
        wEnt = new long[ND][nw];
        wCap = new long[ND][nw];
        wTarget = new long[ND][nw];

        vmFilters = new Placement.Filter[np];
        containerFilters = new Placement.Filter[np];
        resolveWorkloads();
        canonical = canonicalOrder();
        poolWorkloads = groupByPool();
        // A node may end up with every workload, a pool with all its children.
        int scratch = Math.max(maxChildren(), Math.max(1, nw));
        scratchLo = new long[scratch];
        scratchHi = new long[scratch];
        scratchRoom = new long[scratch];
        scratchWeight = new long[scratch];
        scratchOut = new long[scratch];
        scratchSecond = new long[scratch];
    }

    private static Set<Dimension> dimensionsInPlay(ClusterSpec in) {
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
        admit();
        computeDemand();
        computeEntitlements();
        computeCaps();
        computeNodeTargets();
        return assemble();
    }

    // ---------------------------------------------------------------- workloads

    private void resolveWorkloads() {
        for (int w = 0; w < nw; w++) {
            WorkloadSpec s = ws[w];
            node[w] = -1;
            pool[w] = -1;
            List<String> problems = new ArrayList<>();
            boolean vm = s.kind() == WorkloadKind.VIRTUAL_MACHINE;
            long vcpuMillis = vm ? (long) s.vcpus() * 1000 : 0;
            if (vm && s.vcpus() < 1) {
                problems.add("spec.cpu.vcpus " + s.vcpus() + " is below 1: a VM needs at least one vCPU");
            }
            if (vm && s.memorySize() <= 0) {
                problems.add("spec.memory.size is missing or not positive: a VM needs its memory size, e.g. 4Gi");
            }
            for (Dimension d : DIMS) {
                int di = d.ordinal();
                Allocation a = s.allocation(d);
                long r = a.reservation();
                long l = a.limit();
                String field = r < 0 || l < r ? "spec." + PoolTree.fieldOf(d) : null;
                if (r < 0) {
                    problems.add(field + ".reservation " + Quantities.format(d, r) + " is negative: use 0 or more");
                }
                if (l < 0) {
                    problems.add(field + ".limit " + Quantities.format(d, l) + " is negative: use 0 or more, or omit it");
                } else if (r >= 0 && l < r) {
                    problems.add(field + ".limit " + Quantities.format(d, l) + " is below " + field + ".reservation "
                            + Quantities.format(d, r) + ": the limit must be at least the reservation, or omitted");
                }
                // A VM cannot use more than its vCPUs or its memory size.
                long size = Quantities.UNLIMITED;
                if (vm && d == Dimension.CPU) {
                    size = vcpuMillis;
                } else if (vm && d == Dimension.MEMORY) {
                    size = s.memorySize();
                }
                if (vm && size > 0 && size != Quantities.UNLIMITED && r > size) {
                    problems.add(field + ".reservation " + Quantities.format(d, r) + " exceeds the VM's "
                            + (d == Dimension.CPU ? s.vcpus() + " vCPUs" : "memory size " + Quantities.format(d, size))
                            + ": reserve at most that");
                }
                wRes[di][w] = Math.max(0, r);
                wLim[di][w] = Math.max(0, Math.min(l, size));
                Long measured = s.demand().isEmpty() ? null : s.demand().get(d);
                long sizeDemand = size != Quantities.UNLIMITED ? size : wLim[di][w];
                wDemand[di][w] = measured != null ? Math.max(0, measured) : sizeDemand;
            }
            long cpuSize = vm ? vcpuMillis : sizeOf(s, Dimension.CPU);
            long memSize = vm ? s.memorySize() : sizeOf(s, Dimension.MEMORY);
            for (Dimension d : DIMS) {
                wShares[d.ordinal()][w] = SharePresets.forWorkload(s.kind(), d, s.allocation(d).shares(), cpuSize, memSize);
            }
            if (!problems.isEmpty()) {
                refuse(w, INVALID, String.join("; ", problems));
                continue;
            }
            resolvePool(w);
            if (reason[w] == null && !s.running()) {
                refuse(w, NOT_RUNNING, "spec.runStrategy keeps " + s.displayName()
                        + " stopped: a stopped workload holds no reservation; it is admitted when it starts");
            }
        }
    }

    /** A container's size for share presets: its limit, else its reservation (0 = use the default). */
    private static long sizeOf(WorkloadSpec s, Dimension d) {
        Allocation a = s.allocation(d);
        return a.limited() ? a.limit() : a.reservation();
    }

    private void resolvePool(int w) {
        WorkloadSpec s = ws[w];
        String name = s.pool();
        if (name == null || name.isEmpty() || PoolTree.ROOT_NAME.equals(name)) {
            pool[w] = ROOT;
            return;
        }
        Integer p = tree.index.get(name);
        if (p == null) {
            if (s.admitted()) {
                pool[w] = ROOT; // admitted earlier: keep it, accounted at the root
                return;
            }
            refuse(w, POOL_NOT_FOUND, "spec.pool \"" + name + "\" names no ResourcePool: create the pool, "
                    + "or name an existing one (omit spec.pool for the root pool)");
            return;
        }
        if (!tree.valid[p]) {
            if (s.admitted()) {
                pool[w] = ROOT;
                return;
            }
            refuse(w, POOL_INVALID, "pool \"" + name + "\" is invalid (" + tree.problems.get(p).get(0)
                    + "): fix the pool to admit " + s.displayName());
            return;
        }
        if (!s.admitted() && tree.selectsNamespaces[p]) {
            Map<String, String> labels = namespaceLabels(s.namespace());
            int refusing = tree.refusingPool(p, labels);
            if (refusing >= 0) {
                refuse(w, NAMESPACE, "namespace \"" + s.namespace() + "\" may not use pool \"" + name + "\": "
                        + (refusing == p ? "its" : "its ancestor \"" + tree.name(refusing) + "\"'s")
                        + " spec.namespaceSelector {" + tree.spec[refusing].namespaceSelector()
                        + "} does not select it; use a pool open to this namespace");
                return;
            }
        }
        pool[w] = p;
    }

    private Map<String, String> namespaceLabels(String namespace) {
        return namespaceLabelCache.computeIfAbsent(namespace == null ? "" : namespace, this::labelsOf);
    }

    private Map<String, String> labelsOf(String namespace) {
        Map<String, String> labels = input.namespaceLabels().get(namespace);
        if (labels == null) {
            return Map.of("kubernetes.io/metadata.name", namespace == null ? "" : namespace);
        }
        if (!labels.containsKey("kubernetes.io/metadata.name")) {
            Map<String, String> withName = new LinkedHashMap<>(labels);
            withName.put("kubernetes.io/metadata.name", namespace);
            return withName;
        }
        return labels;
    }

    private void refuse(int w, String why, String text) {
        reason[w] = why;
        message[w] = text;
        pool[w] = reason[w].equals(NOT_RUNNING) ? pool[w] : -1;
    }

    private int[] canonicalOrder() {
        long[] byOrder = new long[nw];
        for (int w = 0; w < nw; w++) {
            byOrder[w] = w;
        }
        // Sort by order with a primitive sort of (order, index) pairs when orders fit in 43 bits
        // (creation times in milliseconds do), then settle equal orders by key.
        boolean packable = true;
        for (int w = 0; w < nw && packable; w++) {
            packable = ws[w].order() >= 0 && ws[w].order() < (1L << 43);
        }
        int[] result = new int[nw];
        if (packable && nw < (1 << 20)) {
            for (int w = 0; w < nw; w++) {
                byOrder[w] = (ws[w].order() << 20) | w;
            }
            Arrays.sort(byOrder);
            for (int k = 0; k < nw; k++) {
                result[k] = (int) (byOrder[k] & ((1 << 20) - 1));
            }
            for (int from = 0; from < nw; ) {
                int to = from + 1;
                while (to < nw && ws[result[to]].order() == ws[result[from]].order()) {
                    to++;
                }
                if (to - from > 1) {
                    Integer[] run = new Integer[to - from];
                    for (int k = from; k < to; k++) {
                        run[k - from] = result[k];
                    }
                    Arrays.sort(run, sameOrderTies());
                    for (int k = from; k < to; k++) {
                        result[k] = run[k - from];
                    }
                }
                from = to;
            }
            return result;
        }
        Integer[] order = new Integer[nw];
        for (int w = 0; w < nw; w++) {
            order[w] = w;
        }
        Arrays.sort(order, Comparator.<Integer>comparingLong(w -> ws[w].order()).thenComparing(sameOrderTies()));
        for (int k = 0; k < nw; k++) {
            result[k] = order[k];
        }
        return result;
    }

    /** Section 4: creation time, "then name"; namespace and kind only settle what is still equal. */
    private Comparator<Integer> sameOrderTies() {
        return Comparator.<Integer, String>comparing(w -> ws[w].name())
                .thenComparing(w -> ws[w].namespace() == null ? "" : ws[w].namespace())
                .thenComparing(w -> ws[w].kind().kindName());
    }

    private int[][] groupByPool() {
        int[] count = new int[tree.size];
        for (int w = 0; w < nw; w++) {
            if (pool[w] >= 0) {
                count[pool[w]]++;
            }
        }
        int[][] result = new int[tree.size][];
        for (int p = 0; p < tree.size; p++) {
            result[p] = new int[count[p]];
            count[p] = 0;
        }
        for (int w : canonical) {
            if (pool[w] >= 0) {
                result[pool[w]][count[pool[w]]++] = w;
            }
        }
        return result;
    }

    // ---------------------------------------------------------------- admission (section 4)

    private long effectiveReservation(int di, int p) {
        return p == ROOT ? capacity[di] : granted[p] ? tree.reservation[di][p] : 0;
    }

    /** avail(P) of section 4. */
    long avail(int di, int p) {
        long u = used[di][p];
        if (p == ROOT) {
            return capacity[di] == Quantities.UNLIMITED ? Quantities.UNLIMITED : Math.max(0, capacity[di] - u);
        }
        long r = effectiveReservation(di, p);
        long own = Math.max(0, r - u);
        if (!tree.expandable[di][p]) {
            return own;
        }
        long lim = tree.limit[di][p];
        long headroom = lim == Quantities.UNLIMITED ? Quantities.UNLIMITED : Math.max(0, lim - Math.max(r, u));
        return Quantities.add(own, Math.min(avail(di, tree.parent[p]), headroom));
    }

    /** Adds x to used(P) and carries the growth of max(R, used) up the tree. */
    private void charge(int di, int p, long x) {
        while (x != 0) {
            long u = used[di][p];
            used[di][p] = u + x;
            if (p == ROOT) {
                return;
            }
            long r = effectiveReservation(di, p);
            x = Math.max(r, u + x) - Math.max(r, u);
            p = tree.parent[p];
        }
    }

    private void admit() {
        int[] order = canonical;
        long[] r = new long[ND];
        // 1. Workloads admitted earlier keep their reservation (and their node while it can run them).
        List<Integer> toPlace = new ArrayList<>();
        for (int w : order) {
            if (!ws[w].admitted() || reason[w] != null) {
                continue;
            }
            admitted[w] = true;
            reservationOf(w, r);
            for (int di = 0; di < ND; di++) {
                used[di][pool[w]] += r[di];
            }
            int n = placement.nodeIndex(ws[w].node());
            if (n >= 0 && filterOf(w).accepts(placement.nodes[n])) {
                node[w] = n;
                placement.reserve(n, r);
            } else {
                toPlace.add(w);
            }
        }
        // Their charges are unconditional, so order does not matter: carry them up the tree once,
        // children before parents (no pool reservation is granted yet, so a pool passes on its used).
        for (int k = tree.treeOrder.length - 1; k >= 1; k--) {
            int p = tree.treeOrder[k];
            for (int di = 0; di < ND; di++) {
                used[di][tree.parent[p]] += used[di][p];
            }
        }
        for (int w : toPlace) {
            reservationOf(w, r);
            int n = placement.choose(filterOf(w), r);
            if (n >= 0) {
                node[w] = n;
                placement.reserve(n, r);
            } else {
                reason[w] = NO_NODE;
                message[w] = ws[w].displayName() + " stays admitted in pool \"" + tree.name(pool[w])
                        + "\" but is not placed: " + placement.explainNoFit(filterOf(w), r, List.copyOf(dimensions));
            }
        }
        // 2. Pools' own reservations and new workloads, first come first served (a pool first on a tie).
        Integer[] pools = new Integer[tree.treeOrder.length - 1];
        for (int k = 1; k < tree.treeOrder.length; k++) {
            pools[k - 1] = tree.treeOrder[k];
        }
        Arrays.sort(pools, Comparator.<Integer>comparingLong(p -> tree.spec[p].order()).thenComparing(tree::name));
        int next = 0;
        for (int w : order) {
            if (ws[w].admitted() || reason[w] != null) {
                continue;
            }
            while (next < pools.length && tree.spec[pools[next]].order() <= ws[w].order()) {
                grantPool(pools[next++]);
            }
            admitNew(w, r);
        }
        while (next < pools.length) {
            grantPool(pools[next++]);
        }
    }

    private void reservationOf(int w, long[] r) {
        for (int di = 0; di < ND; di++) {
            r[di] = wRes[di][w];
        }
    }

    private Placement.Filter filterOf(int w) {
        boolean vm = ws[w].kind() == WorkloadKind.VIRTUAL_MACHINE;
        List<Map<String, String>> chain = tree.nodeSelectors.get(pool[w]);
        if (ws[w].nodeSelector().isEmpty()) {
            // Most workloads add no selector of their own: one filter per pool and runtime.
            Placement.Filter[] cached = vm ? vmFilters : containerFilters;
            if (cached[pool[w]] == null) {
                cached[pool[w]] = new Placement.Filter(vm, chain);
            }
            return cached[pool[w]];
        }
        chain = new ArrayList<>(chain);
        chain.add(ws[w].nodeSelector());
        return new Placement.Filter(vm, chain);
    }

    private void grantPool(int p) {
        int parent = tree.parent[p];
        long[] increment = new long[ND];
        StringBuilder shortfall = new StringBuilder();
        for (Dimension d : DIMS) {
            int di = d.ordinal();
            long u = used[di][p];
            increment[di] = Math.max(tree.reservation[di][p], u) - u;
            long available = avail(di, parent);
            if (increment[di] > available) {
                shortfall.append(shortfall.isEmpty() ? "" : "; ").append(d.jsonName()).append(' ')
                        .append(Quantities.format(d, tree.reservation[di][p])).append(" in \"").append(tree.name(parent))
                        .append("\": ").append(Quantities.format(d, available)).append(" available, short by ")
                        .append(Quantities.format(d, increment[di] - available));
            }
        }
        if (!shortfall.isEmpty()) {
            poolConditions.get(p).add(Condition.of("ReservationGranted", false, "InsufficientReservation",
                    "pool \"" + tree.name(p) + "\" cannot reserve " + shortfall
                            + "; it counts as reserving nothing until its parent has room"));
            return;
        }
        granted[p] = true;
        for (int di = 0; di < ND; di++) {
            charge(di, parent, increment[di]);
        }
        poolConditions.get(p).add(Condition.of("ReservationGranted", true, "Granted",
                "pool \"" + tree.name(p) + "\" holds its reservation in \"" + tree.name(parent) + "\""));
    }

    private void admitNew(int w, long[] r) {
        int p = pool[w];
        reservationOf(w, r);
        for (Dimension d : DIMS) {
            int di = d.ordinal();
            long available = avail(di, p);
            if (r[di] > available) {
                reason[w] = INSUFFICIENT;
                message[w] = "pool \"" + tree.name(p) + "\" cannot reserve " + d.jsonName() + " "
                        + Quantities.format(d, r[di]) + " for " + ws[w].displayName() + ": "
                        + Quantities.format(d, available) + " available (" + borrowing(di, p) + ")";
                return;
            }
        }
        Placement.Filter filter = filterOf(w);
        int n = placement.choose(filter, r);
        if (n < 0) {
            reason[w] = NO_NODE;
            message[w] = "no node can hold " + ws[w].displayName() + ": "
                    + placement.explainNoFit(filter, r, List.copyOf(dimensions));
            return;
        }
        admitted[w] = true;
        node[w] = n;
        placement.reserve(n, r);
        for (int di = 0; di < ND; di++) {
            charge(di, p, r[di]);
        }
    }

    /** "expandable via "dept", "root"", "fixed reservation" or "cluster capacity". */
    private String borrowing(int di, int p) {
        if (p == ROOT) {
            return "cluster capacity";
        }
        if (!tree.expandable[di][p]) {
            return "reservation is fixed: expandableReservation is false";
        }
        StringBuilder via = new StringBuilder("expandable via ");
        int q = tree.parent[p];
        while (true) {
            via.append('"').append(tree.name(q)).append('"');
            if (q == ROOT || !tree.expandable[di][q]) {
                return via.toString();
            }
            via.append(", ");
            q = tree.parent[q];
        }
    }

    // ---------------------------------------------------------------- demand and entitlements (section 6)

    private void computeDemand() {
        for (int w = 0; w < nw; w++) {
            active[w] = admitted[w] && node[w] >= 0 && ws[w].running();
        }
        int[] order = tree.treeOrder;
        long[][] shareSum = new long[ND][tree.size];
        for (int k = order.length - 1; k >= 0; k--) {
            int p = order[k];
            boolean any = false;
            for (int di = 0; di < ND; di++) {
                long sum = 0;
                long sharesBelow = shareSum[di][p];
                for (int w : poolWorkloads[p]) {
                    if (active[w]) {
                        sum = Quantities.add(sum, wDemand[di][w]);
                        sharesBelow += wShares[di][w];
                        any = true;
                    }
                }
                for (int c : tree.childPools[p]) {
                    if (poolActive[c]) {
                        sum = Quantities.add(sum, pDemand[di][c]);
                        any = true;
                    }
                }
                pDemand[di][p] = Math.min(tree.limit[di][p], sum);
                shareSum[di][p] = sharesBelow;
                if (p != ROOT) {
                    shareSum[di][tree.parent[p]] += sharesBelow;
                }
            }
            poolActive[p] = any;
        }
        for (int k = 1; k < order.length; k++) {
            int p = order[k];
            int parent = tree.parent[p];
            for (Dimension d : DIMS) {
                int di = d.ordinal();
                boolean scalable = parent != ROOT && tree.spec[parent].scalableShares();
                pEffShares[di][p] = scalable
                        ? Math.max(1, Math.round(SharePresets.scalableMultiplier(d, tree.spec[p].allocation(d).shares())
                                * shareSum[di][p]))
                        : tree.shares[di][p];
            }
        }
    }

    private long poolFloor(int di, int c) {
        return Math.min(Math.max(effectiveReservation(di, c), used[di][c]), pDemand[di][c]);
    }

    private void computeEntitlements() {
        for (int di = 0; di < ND; di++) {
            pEnt[di][ROOT] = Math.min(capacity[di], pDemand[di][ROOT]);
            for (int p : tree.treeOrder) {
                if (poolActive[p]) {
                    splitEntitlement(di, p, null);
                }
            }
        }
    }

    /**
     * Water-fills pool p's entitlement over its active children (section 6, step 3). With
     * {@code changes}, records the children whose entitlement moved and returns whether any did.
     */
    private boolean splitEntitlement(int di, int p, Changes changes) {
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
        for (int w : poolWorkloads[p]) {
            if (active[w]) {
                long l = Math.min(wRes[di][w], wDemand[di][w]);
                lo[n] = l;
                hi[n] = Math.max(l, Math.min(wLim[di][w], wDemand[di][w]));
                wt[n++] = wShares[di][w];
            }
        }
        boolean scaled = waterFill.fill(pEnt[di][p], n, lo, hi, wt, out);
        if (changes != null && scaled != floorsScaled[di][p]) {
            changes.pool(p);
        }
        floorsScaled[di][p] = scaled;
        boolean moved = false;
        int k = 0;
        for (int c : tree.childPools[p]) {
            if (poolActive[c]) {
                long e = out[k++];
                if (changes != null && e != pEnt[di][c]) {
                    changes.pool(c);
                    moved = true;
                }
                pEnt[di][c] = e;
            }
        }
        for (int w : poolWorkloads[p]) {
            if (active[w]) {
                long e = out[k++];
                if (changes != null && e != wEnt[di][w]) {
                    changes.workload(w);
                    moved = true;
                }
                wEnt[di][w] = e;
            }
        }
        return moved;
    }

    private int maxChildren() {
        int max = 1;
        for (int p = 0; p < tree.size; p++) {
            max = Math.max(max, tree.childPools[p].length + poolWorkloads[p].length);
        }
        return max;
    }

    // ---------------------------------------------------------------- caps (section 5)

    /**
     * Splits each limited pool's limit over its active subtree, top-down. Splitting the smaller
     * of an inherited piece and the pool's own limit gives the minimum over all limited ancestors,
     * because water-filling never gives a child more from a smaller amount. First up to demand
     * by shares, then the rest by shares up to each child's own limit, so an idle workload's part
     * moves to its busy siblings and nothing of the limit is left unused.
     */
    private void computeCaps() {
        for (int di = 0; di < ND; di++) {
            budget[di][ROOT] = Quantities.UNLIMITED;
            for (int p : tree.treeOrder) {
                splitCap(di, p, null);
            }
        }
    }

    /** Splits pool p's budget (the smaller of its inherited piece and its own limit) over its children. */
    private void splitCap(int di, int p, Changes changes) {
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
                    long l = Math.max(effectiveReservation(di, c), used[di][c]);
                    lo[n] = l;
                    hi[n] = Math.max(l, Math.min(tree.limit[di][c], pDemand[di][c]));
                    room[n] = tree.limit[di][c];
                    wt[n++] = pEffShares[di][c];
                }
            }
            for (int w : poolWorkloads[p]) {
                if (active[w]) {
                    lo[n] = wRes[di][w];
                    hi[n] = Math.max(wRes[di][w], Math.min(wLim[di][w], wDemand[di][w]));
                    room[n] = wLim[di][w];
                    wt[n++] = wShares[di][w];
                }
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
        for (int w : poolWorkloads[p]) {
            if (active[w]) {
                long cap = b == Quantities.UNLIMITED ? wLim[di][w] : Math.min(first[k++], wLim[di][w]);
                if (changes != null && cap != wCap[di][w]) {
                    changes.workload(w);
                }
                wCap[di][w] = cap;
            }
        }
    }

    // ---------------------------------------------------------------- per-node targets (section 6)

    private void computeNodeTargets() {
        activeOnNode = workloadsByNode(true);
        for (int di = 0; di < ND; di++) {
            for (int w = 0; w < nw; w++) {
                wTarget[di][w] = wEnt[di][w];
            }
            if (DIMS[di].nodeLocal()) {
                for (int n = 0; n < placement.nodes.length; n++) {
                    fitNode(di, n, null);
                }
            }
        }
    }

    /** Section 6, per node: when entitlements exceed the node, water-fill it with floors R and weights E. */
    private void fitNode(int di, int n, Changes changes) {
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

    // ---------------------------------------------------------------- incremental updates

    /** Whether {@code changed} differs from workload w only in its measured demand. */
    boolean onlyDemandDiffers(int w, WorkloadSpec changed) {
        WorkloadSpec old = ws[w];
        // A demand in a dimension not yet in play changes what the plan reports: recompute.
        return dimensions.containsAll(changed.demand().keySet()) && old.kind() == changed.kind() && java.util.Objects.equals(old.pool(), changed.pool())
                && old.vcpus() == changed.vcpus() && old.memorySize() == changed.memorySize()
                && old.allocations().equals(changed.allocations()) && old.nodeSelector().equals(changed.nodeSelector())
                && old.running() == changed.running() && old.admitted() == changed.admitted()
                && java.util.Objects.equals(old.node(), changed.node()) && old.order() == changed.order();
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
            long demand = measured != null ? Math.max(0, measured) : sizeDemand(w, di);
            if (demand == wDemand[di][w]) {
                continue;
            }
            wDemand[di][w] = demand;
            changes.workload(w);
            if (!active[w]) {
                continue;
            }
            for (int p = pool[w]; p >= 0; p = p == ROOT ? -1 : tree.parent[p]) {
                pDemand[di][p] = Math.min(tree.limit[di][p], activeDemandBelow(di, p));
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
                    fitNode(di, n, changes);
                }
            } else {
                for (int m = changes.workloads.nextSetBit(0); m >= 0; m = changes.workloads.nextSetBit(m + 1)) {
                    wTarget[di][m] = wEnt[di][m];
                }
            }
        }
        return changes;
    }

    private long sizeDemand(int w, int di) {
        WorkloadSpec s = ws[w];
        if (s.kind() == WorkloadKind.VIRTUAL_MACHINE && DIMS[di] == Dimension.CPU) {
            return (long) s.vcpus() * 1000;
        }
        if (s.kind() == WorkloadKind.VIRTUAL_MACHINE && DIMS[di] == Dimension.MEMORY) {
            return s.memorySize();
        }
        return wLim[di][w];
    }

    private long activeDemandBelow(int di, int p) {
        long sum = 0;
        for (int x : poolWorkloads[p]) {
            if (active[x]) {
                sum = Quantities.add(sum, wDemand[di][x]);
            }
        }
        for (int c : tree.childPools[p]) {
            if (poolActive[c]) {
                sum = Quantities.add(sum, pDemand[di][c]);
            }
        }
        return sum;
    }

    private void descendEntitlement(int di, int p, boolean[] onPath, Changes changes) {
        changes.movedChildren.clear();
        splitEntitlement(di, p, changes);
        int[] next = nextPools(p, onPath, changes);
        for (int c : next) {
            descendEntitlement(di, c, onPath, changes);
        }
    }

    private void descendCaps(int di, int p, boolean[] onPath, Changes changes) {
        changes.movedChildren.clear();
        splitCap(di, p, changes);
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

    // ---------------------------------------------------------------- output

    Plan assemble() {
        Map<Dimension, Long> cap = new EnumMap<>(Dimension.class);
        for (Dimension d : dimensions) {
            cap.put(d, capacity[d.ordinal()]);
        }
        if (poolOrder == null) {
            poolOrder = poolOrder();
            placedOnNode = workloadsByNode(false);
        }
        int[] poolOrder = this.poolOrder;
        int[][] onNode = placedOnNode;
        List<PoolStatus> pools = new LazyList<>(poolOrder.length,
                i -> tree.valid[poolOrder[i]] ? poolStatus(poolOrder[i]) : invalidPoolStatus(poolOrder[i]));
        List<WorkloadStatus> workloads = new LazyList<>(nw, this::workloadStatus);
        List<NodePlan> nodes = new LazyList<>(placement.nodes.length, n -> nodePlan(n, onNode[n]));
        return new Plan(dimensions, cap, pools, workloads, nodes);
    }

    /** Valid pools in tree order, then the invalid ones in input order. */
    private int[] poolOrder() {
        int[] order = new int[tree.size - 1];
        int k = 0;
        for (int i = 1; i < tree.treeOrder.length; i++) {
            order[k++] = tree.treeOrder[i];
        }
        for (int p = 1; p < tree.size; p++) {
            if (!tree.valid[p]) {
                order[k++] = p;
            }
        }
        return order;
    }

    /** The status of pool index p (valid or not). */
    PoolStatus poolStatusOf(int p) {
        return tree.valid[p] ? poolStatus(p) : invalidPoolStatus(p);
    }

    /** Capacity below reservations: at the root, or floors scaled at this pool or an ancestor. */
    private boolean overcommitted(int di, int p) {
        if (capacity[di] != Quantities.UNLIMITED && used[di][ROOT] > capacity[di]) {
            return true;
        }
        for (int q = p; q >= 0; q = q == ROOT ? -1 : tree.parent[q]) {
            if (floorsScaled[di][q]) {
                return true;
            }
        }
        return false;
    }

    private PoolStatus poolStatus(int p) {
        Map<Dimension, PoolDimensionStatus> dims = new EnumMap<>(Dimension.class);
        Health overall = Health.VALID;
        StringBuilder trouble = new StringBuilder();
        for (Dimension d : dimensions) {
            int di = d.ordinal();
            long r = effectiveReservation(di, p);
            Health h = Health.VALID;
            if ((!tree.expandable[di][p] && used[di][p] > r) || used[di][p] > tree.limit[di][p]) {
                h = Health.INVALID;
                trouble.append(trouble.isEmpty() ? "" : "; ").append(d.jsonName()).append(": reserved below it ")
                        .append(Quantities.format(d, used[di][p])).append(" exceeds its ")
                        .append(used[di][p] > tree.limit[di][p] ? "limit " + Quantities.format(d, tree.limit[di][p])
                                : "fixed reservation " + Quantities.format(d, r));
            } else if (overcommitted(di, p)) {
                h = Health.OVERCOMMITTED;
                trouble.append(trouble.isEmpty() ? "" : "; ").append(d.jsonName())
                        .append(": capacity ").append(Quantities.format(d, capacity[di]))
                        .append(" is below what is reserved, floors scaled down and new admissions refused");
            }
            overall = overall.worst(h);
            Allocation a = tree.spec[p].allocation(d);
            dims.put(d, new PoolDimensionStatus(tree.reservation[di][p], tree.limit[di][p], tree.effectiveLimit[di][p],
                    tree.shares[di][p], pEffShares[di][p], a.expandable(), used[di][p], avail(di, p),
                    pEnt[di][p], h));
        }
        List<Condition> conditions = new ArrayList<>();
        conditions.add(overall == Health.VALID
                ? Condition.of("Ready", true, "Valid", "pool \"" + tree.name(p) + "\" is valid")
                : Condition.of("Ready", false, overall.display(), "pool \"" + tree.name(p) + "\" is "
                        + overall.display() + ": " + trouble));
        conditions.addAll(poolConditions.get(p));
        String parent = tree.parent[p] == ROOT ? null : tree.name(tree.parent[p]);
        return new PoolStatus(tree.name(p), parent, overall, conditions, dims);
    }

    private PoolStatus invalidPoolStatus(int p) {
        PoolSpec s = tree.spec[p];
        Map<Dimension, PoolDimensionStatus> dims = new EnumMap<>(Dimension.class);
        for (Dimension d : dimensions) {
            Allocation a = s.allocation(d);
            dims.put(d, new PoolDimensionStatus(a.reservation(), a.limit(), a.limit(), tree.shares[d.ordinal()][p],
                    tree.shares[d.ordinal()][p], a.expandable(), 0, 0, 0, Health.INVALID));
        }
        String problems = String.join("; ", tree.problems.get(p));
        List<Condition> conditions = List.of(Condition.of("Ready", false, "InvalidSpec",
                "ResourcePool \"" + s.name() + "\": " + problems));
        return new PoolStatus(s.name(), s.parent(), Health.INVALID, conditions, dims);
    }

    private WorkloadStatus workloadStatus(int w) {
        WorkloadSpec s = ws[w];
        Map<Dimension, WorkloadDimensionStatus> dims = new EnumMap<>(Dimension.class);
        int p = pool[w];
        for (Dimension d : dimensions) {
            int di = d.ordinal();
            long effLimit = p >= 0 ? Math.min(wLim[di][w], tree.effectiveLimit[di][p]) : wLim[di][w];
            long cap = active[w] ? wCap[di][w] : 0;
            dims.put(d, new WorkloadDimensionStatus(wRes[di][w], wLim[di][w], effLimit, wShares[di][w],
                    wDemand[di][w], wEnt[di][w], cap, wTarget[di][w]));
        }
        String nodeName = node[w] >= 0 ? placement.nodes[node[w]].name() : null;
        // An admitted, placed workload's message is derived on demand by WorkloadStatus#message().
        String why = reason[w] == null ? ADMITTED : reason[w];
        return new WorkloadStatus(s.kind(), s.namespace(), s.name(), s.pool(), admitted[w], why, message[w], nodeName,
                dims);
    }

    private NodePlan nodePlan(int n, int[] here) {
        List<String> keys = new ArrayList<>(here.length);
        for (int w : here) {
            keys.add(ws[w].key());
        }
        Map<Dimension, Long> free = new EnumMap<>(Dimension.class);
        Map<Dimension, Long> reserved = new EnumMap<>(Dimension.class);
        for (Dimension d : dimensions) {
            int di = d.ordinal();
            if (d.nodeLocal() && placement.free[di][n] != Quantities.UNLIMITED) {
                free.put(d, placement.free[di][n]);
                reserved.put(d, placement.reserved[di][n]);
            }
        }
        return new NodePlan(placement.nodes[n].name(), free, reserved, keys);
    }

    /** Workloads per node in canonical order: the active ones, or every placed one. */
    private int[][] workloadsByNode(boolean activeOnly) {
        int nn = placement.nodes.length;
        int[] count = new int[nn];
        for (int w = 0; w < nw; w++) {
            if (node[w] >= 0 && (!activeOnly || active[w])) {
                count[node[w]]++;
            }
        }
        int[][] onNode = new int[nn][];
        for (int n = 0; n < nn; n++) {
            onNode[n] = new int[count[n]];
            count[n] = 0;
        }
        for (int w : canonical) {
            if (node[w] >= 0 && (!activeOnly || active[w])) {
                onNode[node[w]][count[node[w]]++] = w;
            }
        }
        return onNode;
    }
}
