package io.respool.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Chooses nodes (semantics.md section 7): among Ready, schedulable nodes of the right runtime that
 * match every node selector and still have unreserved room for the reservation, the one with the
 * lowest post-placement load max_d (reserved_d + R_d) / allocatable_d, ties by name. "Reserved"
 * counts other pods' requests too, so respool balances against what really sits on a node.
 *
 * <p>Nodes that pass the same filter are kept in a set ordered by their current load. Since the
 * post-placement load is never below the current one, the search stops at the first node whose
 * current load exceeds the best post-placement load found: a few nodes per placement, not all.
 */
final class Placement {

    /** Which nodes a workload may use: KubeVirt nodes only (VMs) and every selector in the chain. */
    record Filter(boolean kubevirt, List<Map<String, String>> selectors) {
        boolean accepts(NodeSpec n) {
            if (!n.eligible() || (kubevirt && !n.kubevirt())) {
                return false;
            }
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

    final NodeSpec[] nodes;
    final Map<String, Integer> index = new HashMap<>();
    /** Per node-local dimension: allocatable, what other pods request plus respool reservations. */
    final long[][] allocatable;
    final long[][] free;
    final long[][] reserved;
    private final double[] load;
    private final Map<Filter, TreeSet<Integer>> candidates = new HashMap<>();
    private final List<List<TreeSet<Integer>>> setsOfNode;
    private final Comparator<Integer> byLoad;

    Placement(List<NodeSpec> input) {
        nodes = input.stream().sorted(Comparator.comparing(NodeSpec::name)).toArray(NodeSpec[]::new);
        int n = nodes.length;
        allocatable = new long[DIMS.length][n];
        free = new long[DIMS.length][n];
        reserved = new long[DIMS.length][n];
        load = new double[n];
        setsOfNode = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            index.putIfAbsent(nodes[i].name(), i);
            setsOfNode.add(new ArrayList<>(2));
            for (Dimension d : DIMS) {
                Long a = nodes[i].allocatable().get(d);
                allocatable[d.ordinal()][i] = a == null ? Quantities.UNLIMITED : a;
                free[d.ordinal()][i] = nodes[i].free(d);
            }
            load[i] = computeLoad(i, null);
        }
        byLoad = Comparator.<Integer>comparingDouble(i -> load[i]).thenComparing(i -> nodes[i].name());
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

    int nodeIndex(String name) {
        Integer i = name == null ? null : index.get(name);
        return i == null ? -1 : i;
    }

    boolean fits(int n, long[] r) {
        for (Dimension d : DIMS) {
            int di = d.ordinal();
            if (d.nodeLocal() && free[di][n] != Quantities.UNLIMITED && reserved[di][n] + r[di] > free[di][n]) {
                return false;
            }
        }
        return true;
    }

    /** Load with an extra reservation r (null: none). Only dimensions the node declares count. */
    private double computeLoad(int n, long[] r) {
        double max = 0;
        for (Dimension d : DIMS) {
            int di = d.ordinal();
            long a = allocatable[di][n];
            if (!d.nodeLocal() || a == Quantities.UNLIMITED || a <= 0) {
                continue;
            }
            long used = (a - free[di][n]) + reserved[di][n] + (r == null ? 0 : r[di]);
            max = Math.max(max, (double) used / a);
        }
        return max;
    }

    /** The best node for reservation r among nodes the filter accepts, or -1. */
    int choose(Filter f, long[] r) {
        int best = -1;
        double bestLoad = Double.POSITIVE_INFINITY;
        for (int n : candidatesFor(f)) {
            if (load[n] > bestLoad) {
                break;
            }
            if (!fits(n, r)) {
                continue;
            }
            double post = computeLoad(n, r);
            if (post < bestLoad || (post == bestLoad && nodes[n].name().compareTo(nodes[best].name()) < 0)) {
                best = n;
                bestLoad = post;
            }
        }
        return best;
    }

    /** Books reservation r on node n, even past its room (workloads admitted earlier stay). */
    void reserve(int n, long[] r) {
        List<TreeSet<Integer>> sets = setsOfNode.get(n);
        for (TreeSet<Integer> s : sets) {
            s.remove(n);
        }
        for (int di = 0; di < DIMS.length; di++) {
            reserved[di][n] += r[di];
        }
        load[n] = computeLoad(n, null);
        for (TreeSet<Integer> s : sets) {
            s.add(n);
        }
    }

    TreeSet<Integer> candidatesFor(Filter f) {
        TreeSet<Integer> set = candidates.get(f);
        if (set == null) {
            set = new TreeSet<>(byLoad);
            for (int n = 0; n < nodes.length; n++) {
                if (f.accepts(nodes[n])) {
                    set.add(n);
                    setsOfNode.get(n).add(set);
                }
            }
            candidates.put(f, set);
        }
        return set;
    }

    /** Why no node could take reservation r: no candidate at all, or the most room there is. */
    String explainNoFit(Filter f, long[] r, List<Dimension> dims) {
        TreeSet<Integer> set = candidatesFor(f);
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
        StringBuilder sb = new StringBuilder(set.size() + (set.size() == 1 ? " candidate node has" : " candidate nodes have"))
                .append(" no room; the most unreserved is");
        for (Dimension d : dims) {
            int di = d.ordinal();
            if (!d.nodeLocal() || r[di] == 0) {
                continue;
            }
            long most = -1;
            for (int n : set) {
                long room = free[di][n] == Quantities.UNLIMITED ? Quantities.UNLIMITED : Math.max(0, free[di][n] - reserved[di][n]);
                most = Math.max(most, room);
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
