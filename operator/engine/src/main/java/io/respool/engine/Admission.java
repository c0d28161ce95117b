package io.respool.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reservation and admission control (semantics.md section 4), with placement (section 7) through
 * {@link Placement}: charges used(P) up the tree, keeps earlier admissions, grants pools' own
 * reservations and admits new workloads first come, first served, refusing with a message that
 * names the pool, the dimension, what was asked and what was available.
 */
final class Admission {

    private static final Dimension[] DIMS = Dimension.values();
    private static final int ND = DIMS.length;
    private static final int ROOT = PoolTree.ROOT;

    private final PoolTree tree;
    private final Placement placement;
    private final Set<Dimension> dimensions;
    private final long[] capacity;

    // The workloads' side, shared with Workloads.
    private final WorkloadSpec[] ws;
    private final int[] pool;
    private final long[][] wRes;
    private final String[] reason;
    private final String[] message;
    private final int[] canonical;

    /** Per workload: holds its reservation; its node index, or -1 when not placed. */
    final boolean[] admitted;
    final int[] node;
    /** Per pool, indexed as in PoolTree: used(P) of section 4, and whether its own reservation is granted. */
    final long[][] used;
    private final boolean[] granted;
    /** Conditions on each pool's reservation (ReservationGranted). */
    final List<List<Condition>> poolConditions;
    private final Placement.Filter[] vmFilters;
    private final Placement.Filter[] containerFilters;
    /** Per pool, once asked: which nodes its filter accepts, for VMs and for containers. */
    private final boolean[][] vmAccepts;
    private final boolean[][] containerAccepts;

    Admission(PoolTree tree, Placement placement, Set<Dimension> dimensions, long[] capacity, Workloads workloads) {
        this.tree = tree;
        this.placement = placement;
        this.dimensions = dimensions;
        this.capacity = capacity;
        ws = workloads.ws;
        pool = workloads.pool;
        wRes = workloads.wRes;
        reason = workloads.reason;
        message = workloads.message;
        canonical = workloads.canonical;
        int nw = workloads.nw;
        admitted = new boolean[nw];
        node = new int[nw];
        Arrays.fill(node, -1);
        int np = tree.size;
        used = new long[ND][np];
        granted = new boolean[np];
        granted[ROOT] = true;
        poolConditions = new ArrayList<>(np);
        for (int i = 0; i < np; i++) {
            poolConditions.add(new ArrayList<>(2));
        }
        vmFilters = new Placement.Filter[np];
        containerFilters = new Placement.Filter[np];
        vmAccepts = new boolean[np][];
        containerAccepts = new boolean[np][];
    }

    /** R of pool p as charged: capacity at the root, 0 while its reservation is not granted. */
    long effectiveReservation(int di, int p) {
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

    void admit() {
        int[] order = canonical;
        int nw = admitted.length;
        long[] r = new long[ND];
        // 1. Workloads admitted earlier keep their reservation (and their node while it can run them).
        // Their charges are unconditional, so order does not matter: take them in input order (the
        // specs sit together in memory there) and place those that lost their node afterwards, in
        // admission order. Mark the new ones for step 2 on the way.
        boolean[] lostNode = null;
        boolean[] isNew = null;
        for (int w = 0; w < nw; w++) {
            if (reason[w] != null) {
                continue;
            }
            if (!ws[w].admitted()) {
                isNew = mark(isNew, w);
                continue;
            }
            admitted[w] = true;
            int n = placement.nodeIndex(ws[w].node());
            if (n >= 0 && mayRunOn(w, n)) {
                node[w] = n;
            } else {
                lostNode = mark(lostNode, w);
            }
        }
        // Their charges, one dimension at a time: per workload, all six would be read at once.
        for (int di = 0; di < ND; di++) {
            long[] res = wRes[di];
            long[] charged = used[di];
            for (int w = 0; w < nw; w++) {
                if (admitted[w]) {
                    charged[pool[w]] += res[w];
                }
            }
            placement.bookPlaced(di, node, res);
        }
        // Carry the charges up the tree once, children before parents (no pool reservation is
        // granted yet, so a pool passes on its used).
        for (int k = tree.treeOrder.length - 1; k >= 1; k--) {
            int p = tree.treeOrder[k];
            for (int di = 0; di < ND; di++) {
                used[di][tree.parent[p]] += used[di][p];
            }
        }
        for (int k = 0; lostNode != null && k < order.length; k++) {
            int w = order[k];
            if (!lostNode[w]) {
                continue;
            }
            reservationOf(w, r);
            int n = placement.choose(filterOf(w), r);
            if (n >= 0) {
                node[w] = n;
                placement.reserve(n, r);
            } else {
                reason[w] = Workloads.NO_NODE;
                message[w] = ws[w].displayName() + " stays admitted in pool \"" + tree.name(pool[w])
                        + "\" but is not placed: " + placement.explainNoFit(filterOf(w), r, List.copyOf(dimensions));
            }
        }
        // 2. Pools' own reservations and new workloads, first come first served (a pool first on a tie).
        int[] pools = Orders.byOrder(Arrays.copyOfRange(tree.treeOrder, 1, tree.treeOrder.length),
                p -> tree.spec[p].order(), Comparator.comparing(tree::name));
        int next = 0;
        for (int k = 0; isNew != null && k < order.length; k++) {
            int w = order[k];
            if (!isNew[w]) {
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

    private boolean[] mark(boolean[] set, int w) {
        boolean[] result = set == null ? new boolean[admitted.length] : set;
        result[w] = true;
        return result;
    }

    /** Whether node n still suits workload w: answered once per node for a pool's own filter. */
    private boolean mayRunOn(int w, int n) {
        if (!ws[w].nodeSelector().isEmpty()) {
            return placement.accepts(filterOf(w), n);
        }
        boolean[][] cache = ws[w].kind() == WorkloadKind.VIRTUAL_MACHINE ? vmAccepts : containerAccepts;
        int p = pool[w];
        if (cache[p] == null) {
            cache[p] = placement.acceptance(filterOf(w));
        }
        return cache[p][n];
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
                reason[w] = Workloads.INSUFFICIENT;
                message[w] = "pool \"" + tree.name(p) + "\" cannot reserve " + d.jsonName() + " "
                        + Quantities.format(d, r[di]) + " for " + ws[w].displayName() + ": "
                        + Quantities.format(d, available) + " available (" + borrowing(di, p) + ")";
                return;
            }
        }
        Placement.Filter filter = filterOf(w);
        int n = placement.choose(filter, r);
        if (n < 0) {
            reason[w] = Workloads.NO_NODE;
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

    /** Workloads per node in canonical order: those marked in {@code only}, or every placed one when null. */
    int[][] workloadsByNode(boolean[] only) {
        int nn = placement.nodes.length;
        int nw = node.length;
        int[] count = new int[nn];
        for (int w = 0; w < nw; w++) {
            if (node[w] >= 0 && (only == null || only[w])) {
                count[node[w]]++;
            }
        }
        int[][] onNode = new int[nn][];
        for (int n = 0; n < nn; n++) {
            onNode[n] = new int[count[n]];
            count[n] = 0;
        }
        for (int w : canonical) {
            if (node[w] >= 0 && (only == null || only[w])) {
                onNode[node[w]][count[node[w]]++] = w;
            }
        }
        return onNode;
    }
}
