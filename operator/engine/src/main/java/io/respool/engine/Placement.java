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
 * <p>The nodes a filter accepts sit in a segment tree in name order. Each subtree knows, per
 * dimension, its lowest load fraction, its largest room and its largest allocatable, which bound
 * from below the post-placement load of every node in it. A branch-and-bound search visits a few
 * subtrees per placement instead of every node, and still finds exactly the lowest load, ties by name.
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

    /** Fraction of dimension di in use on node n (0 where the node declares no capacity). */
    private double fraction(int di, int n) {
        long a = allocatable[di][n];
        if (a == Quantities.UNLIMITED || a <= 0) {
            return 0;
        }
        return (double) ((a - free[di][n]) + reserved[di][n]) / a;
    }

    /** Load with an extra reservation r. Only dimensions the node declares count. */
    private double postLoad(int n, long[] r) {
        double max = 0;
        for (int di : LOCAL) {
            long a = allocatable[di][n];
            if (a == Quantities.UNLIMITED || a <= 0) {
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

    Candidates candidatesFor(Filter f) {
        Candidates c = candidates.get(f);
        if (c == null) {
            List<Integer> members = new ArrayList<>();
            for (int n = 0; n < nodes.length; n++) {
                if (accepts(f, n)) {
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

    /** The nodes one filter accepts, in name order, as a segment tree of placement bounds. */
    final class Candidates {
        final int[] members;
        /** Node index → position in members (-1: not a member). */
        private final int[] position;
        private final int leaves;
        /** [local dimension][tree slot]: lowest fraction in use, largest room, largest allocatable. */
        private final double[][] minFraction;
        private final long[][] maxRoom;
        private final long[][] maxAllocatable;
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
            minFraction = new double[LOCAL.length][2 * size];
            maxRoom = new long[LOCAL.length][2 * size];
            maxAllocatable = new long[LOCAL.length][2 * size];
            for (int k = 0; k < LOCAL.length; k++) {
                java.util.Arrays.fill(minFraction[k], Double.POSITIVE_INFINITY);
                java.util.Arrays.fill(maxRoom[k], -1);
            }
            for (int i = 0; i < members.length; i++) {
                position[members[i]] = i;
                setLeaf(i);
            }
            for (int slot = size - 1; slot >= 1; slot--) {
                pull(slot);
            }
        }

        boolean isEmpty() {
            return members.length == 0;
        }

        private void setLeaf(int i) {
            int n = members[i];
            int slot = leaves + i;
            for (int k = 0; k < LOCAL.length; k++) {
                int di = LOCAL[k];
                minFraction[k][slot] = fraction(di, n);
                maxRoom[k][slot] = room(di, n);
                maxAllocatable[k][slot] = allocatable[di][n];
            }
        }

        private void pull(int slot) {
            int l = 2 * slot;
            int r = l + 1;
            for (int k = 0; k < LOCAL.length; k++) {
                minFraction[k][slot] = Math.min(minFraction[k][l], minFraction[k][r]);
                maxRoom[k][slot] = Math.max(maxRoom[k][l], maxRoom[k][r]);
                maxAllocatable[k][slot] = Math.max(maxAllocatable[k][l], maxAllocatable[k][r]);
            }
        }

        void refresh(int n) {
            int i = position[n];
            setLeaf(i);
            for (int slot = (leaves + i) >> 1; slot >= 1; slot >>= 1) {
                pull(slot);
            }
        }

        int choose(long[] r) {
            best = -1;
            bestLoad = Double.POSITIVE_INFINITY;
            if (members.length > 0) {
                search(1, 0, r);
            }
            return best;
        }

        /** Lower bound of the post-placement load in a subtree, or +∞ when no node there has room. */
        private double bound(int slot, long[] r) {
            double lb = 0;
            for (int k = 0; k < LOCAL.length; k++) {
                long need = r[LOCAL[k]];
                long room = maxRoom[k][slot];
                if (room != Quantities.UNLIMITED && room < need) {
                    return Double.POSITIVE_INFINITY;
                }
                long a = maxAllocatable[k][slot];
                double part = a == Quantities.UNLIMITED || a <= 0 ? minFraction[k][slot]
                        : minFraction[k][slot] + (double) need / a;
                lb = Math.max(lb, part);
            }
            return lb - SLACK;
        }

        /** @param first index (in name order) of the subtree's first leaf */
        private void search(int slot, int first, long[] r) {
            if (first >= members.length) {
                return;
            }
            double lb = bound(slot, r);
            // A subtree can win only with a lower load, or an equal one and a smaller name.
            if (lb > bestLoad || (lb == Double.POSITIVE_INFINITY) || (best >= 0 && lb >= bestLoad && first > bestPosition())) {
                return;
            }
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
            if (bound(rgt, r) < bound(l, r)) {
                search(rgt, first + width, r);
                search(l, first, r);
            } else {
                search(l, first, r);
                search(rgt, first + width, r);
            }
        }

        private int bestPosition() {
            return position[best];
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
