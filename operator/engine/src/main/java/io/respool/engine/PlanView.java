package io.respool.engine;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The plan as lazy views over the computed arrays: pool statuses with their health (semantics.md
 * section 4: Valid, Overcommitted, Invalid), workload statuses with reservations, limits, demand,
 * entitlements, caps and node targets (sections 4 to 6), and node plans. A status is built when
 * first read, so the operator pays only for what it reads.
 */
final class PlanView {

    private static final int ROOT = PoolTree.ROOT;

    private final PoolTree tree;
    private final Placement placement;
    private final Set<Dimension> dimensions;
    private final long[] capacity;
    private final Admission admission;

    private final int nw;
    private final WorkloadSpec[] ws;
    private final int[] pool;
    private final long[][] wRes;
    private final long[][] wLim;
    private final long[][] wShares;
    private final long[][] wDemand;
    private final String[] reason;
    private final String[] message;
    private final boolean[] admitted;
    private final int[] node;
    private final long[][] used;
    private final List<List<Condition>> poolConditions;
    private final boolean[] active;
    private final long[][] pEnt;
    private final long[][] pEffShares;
    private final boolean[][] floorsScaled;
    private final long[][] wEnt;
    private final long[][] wCap;
    private final long[][] wTarget;

    /**
     * Every workload's key, made in one pass in input order on the first node plan read: made
     * node by node, the keys would visit the specs in scattered order. Handed over in a record so
     * that a thread that sees it sees the whole array (final field semantics); threads racing to
     * make it make equal ones.
     */
    private record Keys(String[] all) {
    }

    private Keys keys;

    /** Output order of pools and placed workloads per node, made on the first assemble (placement is fixed after). */
    private int[] poolOrder;
    private int[][] placedOnNode;

    PlanView(PoolTree tree, Placement placement, Set<Dimension> dimensions, long[] capacity, Workloads workloads,
             Admission admission, Entitlements entitlements, Caps caps) {
        this.tree = tree;
        this.placement = placement;
        this.dimensions = dimensions;
        this.capacity = capacity;
        this.admission = admission;
        nw = workloads.nw;
        ws = workloads.ws;
        pool = workloads.pool;
        wRes = workloads.wRes;
        wLim = workloads.wLim;
        wShares = workloads.wShares;
        wDemand = workloads.wDemand;
        reason = workloads.reason;
        message = workloads.message;
        admitted = admission.admitted;
        node = admission.node;
        used = admission.used;
        poolConditions = admission.poolConditions;
        active = entitlements.active;
        pEnt = entitlements.pEnt;
        pEffShares = entitlements.pEffShares;
        floorsScaled = entitlements.floorsScaled;
        wEnt = entitlements.wEnt;
        wTarget = entitlements.wTarget;
        wCap = caps.wCap;
    }

    Plan assemble() {
        Map<Dimension, Long> cap = new EnumMap<>(Dimension.class);
        for (Dimension d : dimensions) {
            cap.put(d, capacity[d.ordinal()]);
        }
        if (poolOrder == null) {
            poolOrder = poolOrder();
            placedOnNode = admission.workloadsByNode(null);
        }
        int[] poolOrder = this.poolOrder;
        int[][] onNode = placedOnNode;
        List<PoolStatus> pools = new LazyList<>(poolOrder.length,
                i -> tree.valid[poolOrder[i]] ? poolStatus(poolOrder[i]) : invalidPoolStatus(poolOrder[i]));
        List<WorkloadStatus> workloads = new LazyList<>(nw, STATUS_RUN, this::workloadStatuses);
        List<NodePlan> nodes = new LazyList<>(placement.nodes.length, n -> nodePlan(n, onNode[n]));
        return new Plan(dimensions, cap, rootStatus(), pools, workloads, nodes);
    }

    private Map<Dimension, PoolDimensionStatus> rootStatus() {
        Map<Dimension, PoolDimensionStatus> root = new EnumMap<>(Dimension.class);
        for (Dimension d : dimensions) {
            int di = d.ordinal();
            long c = capacity[di];
            Health h = c != Quantities.UNLIMITED && used[di][ROOT] > c ? Health.OVERCOMMITTED : Health.VALID;
            root.put(d, new PoolDimensionStatus(c, c, c, 0, 0, false, used[di][ROOT], admission.avail(di, ROOT),
                    pEnt[di][ROOT], h));
        }
        return root;
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
            long r = admission.effectiveReservation(di, p);
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
            dims.put(d, new PoolDimensionStatus(tree.reservation[di][p], tree.limit[di][p], tree.effectiveLimit[di][p],
                    tree.shares[di][p], pEffShares[di][p], tree.expandable[di][p], used[di][p], admission.avail(di, p),
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

    /**
     * Workload statuses built together when read in order: dimension by dimension over a run of
     * consecutive workloads, so that each step reads seven arrays in sequence. Built one workload
     * at a time, every status read 48 arrays at once, more streams than the hardware prefetches,
     * and reading all 100k statuses took three times as long.
     */
    private static final int STATUS_RUN = 64;

    /** Builds the statuses of workloads from to to (exclusive) that {@code into} lacks. */
    private void workloadStatuses(int from, int to, Object[] into) {
        @SuppressWarnings("unchecked")
        Map<Dimension, WorkloadDimensionStatus>[] dims = new Map[to - from];
        for (int w = from; w < to; w++) {
            if (into[w] == null) {
                dims[w - from] = new EnumMap<>(Dimension.class);
            }
        }
        for (Dimension d : dimensions) {
            int di = d.ordinal();
            long[] res = wRes[di];
            long[] lim = wLim[di];
            long[] shares = wShares[di];
            long[] demand = wDemand[di];
            long[] ent = wEnt[di];
            long[] cap = wCap[di];
            long[] target = wTarget[di];
            long[] poolLimit = tree.effectiveLimit[di];
            for (int w = from; w < to; w++) {
                Map<Dimension, WorkloadDimensionStatus> m = dims[w - from];
                if (m != null) {
                    int p = pool[w];
                    long effLimit = p >= 0 ? Math.min(lim[w], poolLimit[p]) : lim[w];
                    m.put(d, new WorkloadDimensionStatus(res[w], lim[w], effLimit, shares[w], demand[w], ent[w],
                            active[w] ? cap[w] : 0, target[w]));
                }
            }
        }
        for (int w = from; w < to; w++) {
            if (dims[w - from] != null) {
                WorkloadSpec s = ws[w];
                String nodeName = node[w] >= 0 ? placement.nodes[node[w]].name() : null;
                // An admitted, placed workload's message is derived on demand by WorkloadStatus#message().
                String why = reason[w] == null ? Workloads.ADMITTED : reason[w];
                into[w] = new WorkloadStatus(s.kind(), s.namespace(), s.name(), s.pool(), admitted[w], why, message[w],
                        nodeName, dims[w - from]);
            }
        }
    }

    private Keys workloadKeys() {
        Keys k = keys;
        if (k == null) {
            String[] all = new String[nw];
            for (int w = 0; w < nw; w++) {
                all[w] = ws[w].key();
            }
            k = new Keys(all);
            keys = k;
        }
        return k;
    }

    private NodePlan nodePlan(int n, int[] here) {
        String[] all = workloadKeys().all();
        List<String> keys = new ArrayList<>(here.length);
        for (int w : here) {
            keys.add(all[w]);
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
}
