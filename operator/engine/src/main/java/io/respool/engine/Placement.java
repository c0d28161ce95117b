package io.respool.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses nodes (semantics.md section 7): among Ready, schedulable nodes of the right runtime that
 * match every node selector and still have unreserved room for the reservation, the one with the
 * lowest post-placement load max_d (reserved_d + R_d) / allocatable_d, ties by name. "Reserved"
 * counts other pods' requests too, so respool balances against what really sits on a node.
 *
 * <p>The nodes a filter accepts sit in a segment tree in name order. Each subtree knows its
 * largest room per dimension and, per class of nodes (dominant dimension and allocatable there),
 * what the least loaded of them use, which bounds from below the post-placement load of every node
 * in it. A branch-and-bound search visits a few subtrees per placement instead of every node, and
 * still finds exactly the lowest load, ties by name.
 */
final class Placement {

    /** Which nodes a workload may use: KubeVirt nodes only (VMs) and every selector in the chain. */
    record Filter(boolean kubevirt, List<Map<String, String>> selectors) {
        boolean selectorsMatch(NodeSpec n) {
            for (Map<String, String> s : selectors) {
                for (Map.Entry<String, String> e : s.entrySet()) {
                    if (!e.getValue().equals(n.labels().get(e.getKey()))) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    private static final Dimension[] DIMS = Dimension.values();
    /** The node-local dimensions, the only ones placement looks at. */
    private static final int[] LOCAL = java.util.Arrays.stream(DIMS).filter(Dimension::nodeLocal)
            .mapToInt(Dimension::ordinal).toArray();
    /** Guards the lower bound against floating-point rounding, so that a tie is never pruned. */
    private static final double SLACK = 1e-12;

    final NodeSpec[] nodes;
    final Map<String, Integer> index = new HashMap<>();
    /** Per dimension and node: allocatable, free (allocatable minus other pods' requests), respool reservations. */
    final long[][] allocatable;
    final long[][] free;
    final long[][] reserved;
    private final boolean[] eligible;
    private final boolean[] kubevirt;
    private final Map<Filter, Candidates> candidates = new HashMap<>();
    private final Map<Filter, boolean[]> acceptance = new HashMap<>();
    private final List<List<Candidates>> candidatesOfNode;

    Placement(List<NodeSpec> input) {
        nodes = input.stream().sorted(Comparator.comparing(NodeSpec::name)).toArray(NodeSpec[]::new);
        int n = nodes.length;
        allocatable = new long[DIMS.length][n];
        free = new long[DIMS.length][n];
        reserved = new long[DIMS.length][n];
        candidatesOfNode = new ArrayList<>(n);
        eligible = new boolean[n];
        kubevirt = new boolean[n];
        for (int i = 0; i < n; i++) {
            index.putIfAbsent(nodes[i].name(), i);
            eligible[i] = nodes[i].eligible();
            kubevirt[i] = nodes[i].kubevirt();
            candidatesOfNode.add(new ArrayList<>(2));
            for (Dimension d : DIMS) {
                Long a = nodes[i].allocatable().get(d);
                allocatable[d.ordinal()][i] = a == null ? Quantities.UNLIMITED : a;
                free[d.ordinal()][i] = nodes[i].free(d);
            }
        }
    }

    /** Σ over eligible nodes of their free capacity: the root pool's capacity. */
    long capacity(Dimension d) {
        long sum = 0;
        for (int i = 0; i < nodes.length; i++) {
            if (nodes[i].eligible()) {
                sum = Quantities.add(sum, free[d.ordinal()][i]);
            }
        }
        return sum;
    }

    /** Whether the filter accepts node n (readiness and runtime read once per run, not per workload). */
    boolean accepts(Filter f, int n) {
        return eligible[n] && (!f.kubevirt() || kubevirt[n]) && f.selectorsMatch(nodes[n]);
    }

    int nodeIndex(String name) {
        Integer i = name == null ? null : index.get(name);
        return i == null ? -1 : i;
    }

    boolean fits(int n, long[] r) {
        for (int di : LOCAL) {
            if (free[di][n] != Quantities.UNLIMITED && reserved[di][n] + r[di] > free[di][n]) {
                return false;
            }
        }
        return true;
    }

    /** Unreserved room of node n, {@link Quantities#UNLIMITED} where it declares no capacity. */
    private long room(int di, int n) {
        return free[di][n] == Quantities.UNLIMITED ? Quantities.UNLIMITED : free[di][n] - reserved[di][n];
    }

    /** Whether a node that declares allocatable a for a dimension has its load count there. */
    private static boolean declares(long a) {
        return a != Quantities.UNLIMITED && a > 0;
    }

    /** Fraction of dimension di in use on node n (0 where the node declares no capacity). */
    private double fraction(int di, int n) {
        long a = allocatable[di][n];
        if (!declares(a)) {
            return 0;
        }
        return (double) ((a - free[di][n]) + reserved[di][n]) / a;
    }

    /** Load with an extra reservation r. Only dimensions the node declares count. */
    private double postLoad(int n, long[] r) {
        double max = 0;
        for (int di : LOCAL) {
            long a = allocatable[di][n];
            if (!declares(a)) {
                continue;
            }
            long used = (a - free[di][n]) + reserved[di][n] + r[di];
            max = Math.max(max, (double) used / a);
        }
        return max;
    }

    /** The best node for reservation r among nodes the filter accepts, or -1. */
    int choose(Filter f, long[] r) {
        return candidatesFor(f).choose(r);
    }

    /** Books reservation r on node n, even past its room (workloads admitted earlier stay). */
    void reserve(int n, long[] r) {
        for (int di = 0; di < DIMS.length; di++) {
            reserved[di][n] += r[di];
        }
        for (Candidates c : candidatesOfNode.get(n)) {
            c.refresh(n);
        }
    }

    /**
     * Books reservation r[w] in dimension di on node[w] for every workload placed so far, before
     * any node has been chosen: there is no candidate tree yet to keep current, so this is a
     * plain sum (what {@link #reserve} does one workload at a time).
     */
    void bookPlaced(int di, int[] node, long[] r) {
        if (!candidates.isEmpty()) {
            throw new IllegalStateException("bookPlaced after a node was chosen: use reserve");
        }
        long[] booked = reserved[di];
        for (int w = 0; w < node.length; w++) {
            if (node[w] >= 0) {
                booked[node[w]] += r[w];
            }
        }
    }

    /** Which nodes (by index) filter f accepts, worked out once per filter and run. */
    boolean[] acceptance(Filter f) {
        return acceptance.computeIfAbsent(f, filter -> {
            boolean[] accepted = new boolean[nodes.length];
            for (int n = 0; n < nodes.length; n++) {
                accepted[n] = accepts(filter, n);
            }
            return accepted;
        });
    }

    Candidates candidatesFor(Filter f) {
        Candidates c = candidates.get(f);
        if (c == null) {
            boolean[] accepted = acceptance(f);
            List<Integer> members = new ArrayList<>();
            for (int n = 0; n < nodes.length; n++) {
                if (accepted[n]) {
                    members.add(n);
                }
            }
            c = new Candidates(members.stream().mapToInt(Integer::intValue).toArray());
            for (int n : c.members) {
                candidatesOfNode.get(n).add(c);
            }
            candidates.put(f, c);
        }
        return c;
    }

    /**
     * The nodes one filter accepts, in name order, as a segment tree of placement bounds.
     *
     * <p>Per-dimension minima over a subtree come from different nodes (a cpu-bound node's cpu, a
     * memory-bound one's memory, 32 next to 128 cores) and bound the post-placement load far below
     * the real one, so they prune almost nothing. Instead each node is in a class by its dominant
     * dimension now and its allocatable there: the node's exact allocatable if the members have
     * few distinct ones in that dimension, else its binary magnitude. A subtree keeps, per class
     * and dimension, the least in use among its nodes of the class; the class bounds the
     * post-placement load of those nodes by max_d (least used_d + R_d) / allocatable_d, and the
     * subtree by the lowest class bound.
     *
     * <p>Where all nodes that can be in a class have the same allocatable for a dimension, the
     * least used there is kept as a count, and (used + R) / allocatable is computed exactly as
     * {@link #postLoad} computes it: no slack, so a subtree whose best is an equal load (common
     * between identical nodes) is pruned by name instead of searched down to its leaves. Other
     * dimensions keep the lowest fraction in use and the largest allocatable any class member
     * has, with {@link #SLACK}.
     */
    final class Candidates {
        /** A dimension with more distinct allocatables among the members gets one class per binary magnitude. */
        private static final int EXACT_CLASSES_PER_DIMENSION = 12;
        /** Classes present in a subtree are a bit set in one long. */
        private static final int MAX_CLASSES = Long.SIZE;

        final int[] members;
        /** Node index → position in members (-1: not a member). */
        private final int[] position;
        private final int leaves;
        /** [local dimension][position in members]: the member's class when that dimension dominates. */
        private final int[][] classOf;
        /**
         * A class's terms: counted ones (one allocatable, kept as least used) from countFrom[c] to
         * countFrom[c + 1], fraction ones (kept as lowest fraction) likewise; their local dimension and allocatable.
         */
        private final int[] countFrom;
        private final int[] countDim;
        private final long[] countAllocatable;
        private final int[] fractionFrom;
        private final int[] fractionDim;
        private final long[] fractionAllocatable;
        /** [tree slot]: the classes that have a node in the subtree (the terms of the others are stale). */
        private final long[] present;
        /** [tree slot × LOCAL.length + local dimension]: largest room. */
        private final long[] maxRoom;
        /** [tree slot × counted terms + term]: least used. */
        private final long[] minUsed;
        /** [tree slot × fraction terms + term]: lowest fraction in use. */
        private final double[] minFraction;
        /** The choice under way: R_d per counted term, R_d / allocatable per fraction term. */
        private final long[] countNeed;
        private final double[] fractionNeed;
        private int best;
        private double bestLoad;

        Candidates(int[] members) {
            this.members = members;
            this.position = new int[nodes.length];
            java.util.Arrays.fill(position, -1);
            int size = 1;
            while (size < Math.max(1, members.length)) {
                size <<= 1;
            }
            leaves = size;
            int dims = LOCAL.length;
            // Classes: per local dimension, one per allocatable or per magnitude among the members
            // (one for all magnitudes if that would make too many); a node that declares no local
            // dimension (load 0) is in the class of the first.
            classOf = new int[dims][members.length];
            List<Integer> dimOfClass = assignClasses(true);
            if (dimOfClass.size() > MAX_CLASSES) {
                dimOfClass = assignClasses(false);
            }
            int classes = dimOfClass.size();
            // Per class and dimension: the one allocatable of the nodes that can be in the class,
            // or the largest if they differ (UNLIMITED where one declares none).
            long[][] largest = new long[classes][dims];
            boolean[][] differ = new boolean[classes][dims];
            for (int i = 0; i < members.length; i++) {
                for (int k = 0; k < dims; k++) {
                    int c = classOf[k][i];
                    for (int d = 0; d < dims; d++) {
                        long a = allocatable[LOCAL[d]][members[i]];
                        long kept = declares(a) ? a : Quantities.UNLIMITED;
                        differ[c][d] |= largest[c][d] != 0 && largest[c][d] != kept;
                        largest[c][d] = Math.max(largest[c][d], kept);
                    }
                }
            }
            countFrom = new int[classes + 1];
            fractionFrom = new int[classes + 1];
            List<Integer> cDim = new ArrayList<>();
            List<Long> cAllocatable = new ArrayList<>();
            List<Integer> fDim = new ArrayList<>();
            List<Long> fAllocatable = new ArrayList<>();
            for (int c = 0; c < classes; c++) {
                // The class's own dimension first: it most often makes the bound.
                for (int j = 0; j < dims; j++) {
                    int d = (dimOfClass.get(c) + j) % dims;
                    if (!differ[c][d] && declares(largest[c][d])) {
                        cDim.add(d);
                        cAllocatable.add(largest[c][d]);
                    } else {
                        fDim.add(d);
                        fAllocatable.add(largest[c][d]);
                    }
                }
                countFrom[c + 1] = cDim.size();
                fractionFrom[c + 1] = fDim.size();
            }
            countDim = cDim.stream().mapToInt(Integer::intValue).toArray();
            countAllocatable = cAllocatable.stream().mapToLong(Long::longValue).toArray();
            fractionDim = fDim.stream().mapToInt(Integer::intValue).toArray();
            fractionAllocatable = fAllocatable.stream().mapToLong(Long::longValue).toArray();
            countNeed = new long[countDim.length];
            fractionNeed = new double[fractionDim.length];
            present = new long[2 * size];
            maxRoom = new long[2 * size * dims];
            minUsed = new long[2 * size * countDim.length];
            minFraction = new double[2 * size * fractionDim.length];
            java.util.Arrays.fill(maxRoom, -1);
            for (int i = 0; i < members.length; i++) {
                position[members[i]] = i;
                setLeaf(i);
            }
            for (int slot = size - 1; slot >= 1; slot--) {
                pull(slot, -1L);
            }
        }

        /** Fills classOf; returns the local dimension of each class. */
        private List<Integer> assignClasses(boolean byMagnitude) {
            List<Integer> dimOfClass = new ArrayList<>();
            for (int k = 0; k < LOCAL.length; k++) {
                int di = LOCAL[k];
                boolean exact = java.util.Arrays.stream(members).mapToLong(n -> allocatable[di][n])
                        .filter(Placement::declares).distinct().limit(EXACT_CLASSES_PER_DIMENSION + 1).count()
                        <= EXACT_CLASSES_PER_DIMENSION;
                Map<Long, Integer> classIndex = new HashMap<>();
                for (int i = 0; i < members.length; i++) {
                    long a = allocatable[di][members[i]];
                    long key = !declares(a) ? -1 : exact ? a : byMagnitude ? 63 - Long.numberOfLeadingZeros(a) : 0;
                    Integer c = classIndex.get(key);
                    if (c == null) {
                        c = dimOfClass.size();
                        classIndex.put(key, c);
                        dimOfClass.add(k);
                    }
                    classOf[k][i] = c;
                }
            }
            return dimOfClass;
        }

        boolean isEmpty() {
            return members.length == 0;
        }

        private void setLeaf(int i) {
            int n = members[i];
            int slot = leaves + i;
            int dominant = 0;
            double load = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < LOCAL.length; k++) {
                int di = LOCAL[k];
                maxRoom[slot * LOCAL.length + k] = room(di, n);
                double f = fraction(di, n);
                if (declares(allocatable[di][n]) && f > load) {
                    dominant = k;
                    load = f;
                }
            }
            int counts = slot * countDim.length;
            int fractions = slot * fractionDim.length;
            int c = classOf[dominant][i];
            present[slot] = 1L << c;
            for (int t = countFrom[c]; t < countFrom[c + 1]; t++) {
                int di = LOCAL[countDim[t]];
                minUsed[counts + t] = (allocatable[di][n] - free[di][n]) + reserved[di][n];
            }
            for (int t = fractionFrom[c]; t < fractionFrom[c + 1]; t++) {
                minFraction[fractions + t] = fraction(LOCAL[fractionDim[t]], n);
            }
        }

        /** Recomputes a subtree's room, its classes and the terms of the classes in {@code changed}. */
        private void pull(int slot, long changed) {
            for (int k = 0, at = slot * LOCAL.length; k < LOCAL.length; k++, at++) {
                // Children of entry at: 2·at − k and that plus one stride.
                maxRoom[at] = Math.max(maxRoom[2 * at - k], maxRoom[2 * at - k + LOCAL.length]);
            }
            long left = present[2 * slot];
            long right = present[2 * slot + 1];
            present[slot] = left | right;
            int counts = countDim.length;
            int fractions = fractionDim.length;
            for (long m = (left | right) & changed; m != 0; m &= m - 1) {
                int c = Long.numberOfTrailingZeros(m);
                // From both children if both have the class, else from the one that has it.
                int from = (left & (1L << c)) != 0 ? 2 * slot : 2 * slot + 1;
                boolean both = (left & right & (1L << c)) != 0;
                for (int t = countFrom[c]; t < countFrom[c + 1]; t++) {
                    long used = minUsed[from * counts + t];
                    minUsed[slot * counts + t] = both ? Math.min(used, minUsed[(from + 1) * counts + t]) : used;
                }
                for (int t = fractionFrom[c]; t < fractionFrom[c + 1]; t++) {
                    double f = minFraction[from * fractions + t];
                    minFraction[slot * fractions + t] = both ? Math.min(f, minFraction[(from + 1) * fractions + t]) : f;
                }
            }
        }

        void refresh(int n) {
            int i = position[n];
            long before = present[leaves + i];
            setLeaf(i);
            // Only the node's class before and after can have new terms anywhere above it.
            long changed = before | present[leaves + i];
            for (int slot = (leaves + i) >> 1; slot >= 1; slot >>= 1) {
                pull(slot, changed);
            }
        }

        int choose(long[] r) {
            best = -1;
            bestLoad = Double.POSITIVE_INFINITY;
            if (members.length == 0) {
                return best;
            }
            for (int t = 0; t < countDim.length; t++) {
                countNeed[t] = r[LOCAL[countDim[t]]];
            }
            for (int t = 0; t < fractionDim.length; t++) {
                long a = fractionAllocatable[t];
                fractionNeed[t] = declares(a) ? (double) r[LOCAL[fractionDim[t]]] / a : 0;
            }
            if (bound(1, r) != Double.POSITIVE_INFINITY) {
                search(1, 0, r);
            }
            return best;
        }

        /** Lower bound of the post-placement load in a subtree, or +∞ when no node there has room. */
        private double bound(int slot, long[] r) {
            for (int k = 0, at = slot * LOCAL.length; k < LOCAL.length; k++, at++) {
                if (maxRoom[at] != Quantities.UNLIMITED && maxRoom[at] < r[LOCAL[k]]) {
                    return Double.POSITIVE_INFINITY;
                }
            }
            int counts = slot * countDim.length;
            int fractions = slot * fractionDim.length;
            double lowest = Double.POSITIVE_INFINITY;
            for (long m = present[slot]; m != 0; m &= m - 1) {
                int c = Long.numberOfTrailingZeros(m);
                double lb = 0;
                for (int t = countFrom[c]; t < countFrom[c + 1] && lb < lowest; t++) {
                    // As postLoad computes it: no slack needed.
                    lb = Math.max(lb, (double) (minUsed[counts + t] + countNeed[t]) / countAllocatable[t]);
                }
                for (int t = fractionFrom[c]; t < fractionFrom[c + 1] && lb < lowest; t++) {
                    lb = Math.max(lb, minFraction[fractions + t] + fractionNeed[t] - SLACK);
                }
                lowest = Math.min(lowest, lb);
            }
            return lowest;
        }

        /** Whether a subtree with lower bound lb, first leaf at first, cannot beat the best so far. */
        private boolean pruned(double lb, int first) {
            // A subtree can win only with a lower load, or an equal one and a smaller name.
            return lb == Double.POSITIVE_INFINITY || lb > bestLoad
                    || (best >= 0 && lb >= bestLoad && first > position[best]);
        }

        /** @param first index (in name order) of the subtree's first leaf */
        private void search(int slot, int first, long[] r) {
            if (slot >= leaves) {
                int n = members[first];
                if (!fits(n, r)) {
                    return;
                }
                double post = postLoad(n, r);
                if (post < bestLoad || (post == bestLoad && n < best)) {
                    best = n;
                    bestLoad = post;
                }
                return;
            }
            int width = (leaves >> (31 - Integer.numberOfLeadingZeros(slot))) >> 1;
            int l = 2 * slot;
            int rgt = l + 1;
            double lbLeft = bound(l, r);
            if (first + width >= members.length) {
                // The right subtree is padding.
                if (!pruned(lbLeft, first)) {
                    search(l, first, r);
                }
                return;
            }
            double lbRight = bound(rgt, r);
            // The more promising side first, so that the other is more often pruned.
            if (lbRight < lbLeft) {
                if (!pruned(lbRight, first + width)) {
                    search(rgt, first + width, r);
                }
                if (!pruned(lbLeft, first)) {
                    search(l, first, r);
                }
            } else {
                if (!pruned(lbLeft, first)) {
                    search(l, first, r);
                }
                if (!pruned(lbRight, first + width)) {
                    search(rgt, first + width, r);
                }
            }
        }
    }

    /** Why no node could take reservation r: no candidate at all, or the most room there is. */
    String explainNoFit(Filter f, long[] r, List<Dimension> dims) {
        Candidates set = candidatesFor(f);
        if (set.isEmpty()) {
            StringBuilder sb = new StringBuilder("no Ready, schedulable node");
            if (f.kubevirt()) {
                sb.append(" is a KubeVirt node (label ").append(NodeSpec.KUBEVIRT_LABEL).append("=true)");
                if (!f.selectors().isEmpty()) {
                    sb.append(" and");
                }
            }
            if (!f.selectors().isEmpty()) {
                sb.append(" matches node selector ").append(selectorText(f.selectors()));
            }
            return sb.toString();
        }
        int count = set.members.length;
        StringBuilder sb = new StringBuilder(count + (count == 1 ? " candidate node has" : " candidate nodes have"))
                .append(" no room; the most unreserved is");
        for (Dimension d : dims) {
            int di = d.ordinal();
            if (!d.nodeLocal() || r[di] == 0) {
                continue;
            }
            long most = -1;
            for (int n : set.members) {
                long room = room(di, n);
                most = Math.max(most, room == Quantities.UNLIMITED ? room : Math.max(0, room));
            }
            sb.append(' ').append(d.jsonName()).append(' ').append(Quantities.format(d, most)).append(',');
        }
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    private static String selectorText(List<Map<String, String>> selectors) {
        StringBuilder sb = new StringBuilder("{");
        for (Map<String, String> s : selectors) {
            s.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                    sb.append(sb.length() > 1 ? ", " : "").append(e.getKey()).append('=').append(e.getValue()));
        }
        return sb.append('}').toString();
    }
}
