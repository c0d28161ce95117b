package io.respool.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated pool tree. Index 0 is the implicit root; pools are numbered 1..n in input order.
 * An invalid pool (bad field, unknown parent, cycle) and everything below it is left out of the
 * tree, with problems that name the field, the value and what is accepted.
 */
final class PoolTree {

    static final int ROOT = 0;
    static final String ROOT_NAME = "root";
    private static final Dimension[] DIMS = Dimension.values();

    final int size;
    final PoolSpec[] spec;
    final Map<String, Integer> index = new HashMap<>();
    final int[] parent;
    final boolean[] valid;
    final List<List<String>> problems;
    /** Valid pools, parents before children, siblings by admission order then name; root first. */
    final int[] treeOrder;
    final int[][] childPools;
    /** Resolved per dimension: reservation, limit, shares (number), expandable. */
    final long[][] reservation;
    final long[][] limit;
    final long[][] shares;
    final boolean[][] expandable;
    /** Min of own and ancestors' limits. */
    final long[][] effectiveLimit;
    /** Node selectors of this pool and its ancestors (a node must match all: never more open than the parent). */
    final List<List<Map<String, String>>> nodeSelectors;
    /** Whether the pool or an ancestor restricts namespaces (most trees: none do). */
    final boolean[] selectsNamespaces;

    PoolTree(List<PoolSpec> pools) {
        size = pools.size() + 1;
        spec = new PoolSpec[size];
        parent = new int[size];
        valid = new boolean[size];
        problems = new ArrayList<>(size);
        reservation = new long[DIMS.length][size];
        limit = new long[DIMS.length][size];
        shares = new long[DIMS.length][size];
        expandable = new boolean[DIMS.length][size];
        effectiveLimit = new long[DIMS.length][size];
        nodeSelectors = new ArrayList<>(size);
        selectsNamespaces = new boolean[size];
        problems.add(List.of());
        nodeSelectors.add(List.of());
        valid[ROOT] = true;
        parent[ROOT] = -1;
        for (int i = 1; i < size; i++) {
            PoolSpec p = pools.get(i - 1);
            spec[i] = p;
            List<String> own = new ArrayList<>();
            problems.add(own);
            nodeSelectors.add(List.of());
            if (p.name() == null || p.name().isEmpty()) {
                own.add("metadata.name is empty: every ResourcePool needs a name");
            } else if (ROOT_NAME.equals(p.name())) {
                own.add("metadata.name \"root\" is reserved for the implicit root pool: choose another name");
            } else if (index.putIfAbsent(p.name(), i) != null) {
                own.add("metadata.name \"" + p.name() + "\" is used by another ResourcePool: names must be unique");
            }
            validateAllocations(p, own);
        }
        resolveParents();
        for (int i = 1; i < size; i++) {
            valid[i] = problems.get(i).isEmpty();
        }
        invalidateBelowInvalid();
        childPools = buildChildren();
        treeOrder = buildTreeOrder();
        resolveNumbers();
    }

    private static void validateAllocations(PoolSpec p, List<String> out) {
        for (Dimension d : DIMS) {
            Allocation a = p.allocation(d);
            String field = "spec." + fieldOf(d);
            if (a.reservation() < 0) {
                out.add(field + ".reservation " + Quantities.format(d, a.reservation()) + " is negative: use 0 or more");
            }
            if (a.limit() < 0) {
                out.add(field + ".limit " + Quantities.format(d, a.limit()) + " is negative: use 0 or more, or omit it for no limit");
            }
            if (a.limit() >= 0 && a.reservation() >= 0 && a.limit() < a.reservation()) {
                out.add(field + ".limit " + Quantities.format(d, a.limit()) + " is below " + field + ".reservation "
                        + Quantities.format(d, a.reservation()) + ": the limit must be at least the reservation, or omitted");
            }
        }
    }

    /** The YAML field path of a dimension under spec: cpu, memory, disk.iops, network.egress... */
    static String fieldOf(Dimension d) {
        return switch (d) {
            case CPU -> "cpu";
            case MEMORY -> "memory";
            case DISK_IOPS -> "disk.iops";
            case DISK_BANDWIDTH -> "disk.bandwidth";
            case NETWORK_EGRESS -> "network.egress";
            case NETWORK_INGRESS -> "network.ingress";
        };
    }

    private void resolveParents() {
        for (int i = 1; i < size; i++) {
            String parentName = spec[i].parent();
            if (parentName == null || parentName.isEmpty() || ROOT_NAME.equals(parentName)) {
                parent[i] = ROOT;
                continue;
            }
            Integer p = index.get(parentName);
            if (p == null) {
                parent[i] = ROOT;
                problems.get(i).add("spec.parent \"" + parentName + "\" names no ResourcePool: use an existing pool's name, "
                        + "or omit spec.parent to place the pool under the root");
            } else if (p == i) {
                parent[i] = ROOT;
                problems.get(i).add("spec.parent \"" + parentName + "\" is the pool itself: a pool cannot be its own parent");
            } else {
                parent[i] = p;
            }
        }
        // Cycles: follow parents; a walk longer than the number of pools has looped.
        int[] state = new int[size]; // 0 unknown, 1 on current walk, 2 done
        for (int i = 1; i < size; i++) {
            List<Integer> walk = new ArrayList<>();
            int c = i;
            while (c != ROOT && state[c] == 0) {
                state[c] = 1;
                walk.add(c);
                c = parent[c];
            }
            if (c != ROOT && state[c] == 1) {
                List<Integer> cycle = walk.subList(walk.indexOf(c), walk.size());
                StringBuilder path = new StringBuilder();
                for (int k : cycle) {
                    path.append('"').append(spec[k].name()).append("\" → ");
                }
                path.append('"').append(spec[c].name()).append('"');
                for (int k : cycle) {
                    problems.get(k).add("spec.parent \"" + spec[k].parent() + "\" closes a cycle (" + path
                            + "): pools must form a tree, so change one parent in the cycle");
                }
            }
            for (int k : walk) {
                state[k] = 2;
            }
        }
    }

    private void invalidateBelowInvalid() {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = 1; i < size; i++) {
                if (valid[i] && parent[i] != ROOT && !valid[parent[i]]) {
                    valid[i] = false;
                    problems.get(i).add("spec.parent \"" + spec[parent[i]].name()
                            + "\" is invalid, so this pool is not part of the tree until its parent is fixed");
                    changed = true;
                }
            }
        }
    }

    private int[][] buildChildren() {
        List<List<Integer>> kids = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            kids.add(new ArrayList<>());
        }
        for (int i = 1; i < size; i++) {
            if (valid[i]) {
                kids.get(parent[i]).add(i);
            }
        }
        Comparator<Integer> byOrder = Comparator.<Integer>comparingLong(k -> spec[k].order())
                .thenComparing(k -> spec[k].name());
        int[][] result = new int[size][];
        for (int i = 0; i < size; i++) {
            List<Integer> k = kids.get(i);
            k.sort(byOrder);
            result[i] = k.stream().mapToInt(Integer::intValue).toArray();
        }
        return result;
    }

    private int[] buildTreeOrder() {
        int[] order = new int[size];
        int n = 0;
        int[] stack = new int[size];
        int top = 0;
        stack[top++] = ROOT;
        while (top > 0) {
            int p = stack[--top];
            order[n++] = p;
            int[] kids = childPools[p];
            for (int k = kids.length - 1; k >= 0; k--) {
                stack[top++] = kids[k];
            }
        }
        return Arrays.copyOf(order, n);
    }

    private void resolveNumbers() {
        for (Dimension d : DIMS) {
            int di = d.ordinal();
            reservation[di][ROOT] = 0;
            limit[di][ROOT] = Quantities.UNLIMITED;
            effectiveLimit[di][ROOT] = Quantities.UNLIMITED;
            shares[di][ROOT] = SharePresets.forPool(d, Shares.NORMAL);
            for (int i = 1; i < size; i++) {
                Allocation a = spec[i].allocation(d);
                reservation[di][i] = Math.max(0, a.reservation());
                limit[di][i] = a.limit() < 0 ? Quantities.UNLIMITED : a.limit();
                shares[di][i] = SharePresets.forPool(d, a.shares());
                expandable[di][i] = a.expandable();
            }
            for (int k = 1; k < treeOrder.length; k++) {
                int i = treeOrder[k];
                effectiveLimit[di][i] = Math.min(limit[di][i], effectiveLimit[di][parent[i]]);
            }
        }
        for (int k = 1; k < treeOrder.length; k++) {
            int i = treeOrder[k];
            selectsNamespaces[i] = selectsNamespaces[parent[i]] || !spec[i].namespaceSelector().isEmpty();
            List<Map<String, String>> inherited = nodeSelectors.get(parent[i]);
            Map<String, String> own = spec[i].nodeSelector();
            if (own.isEmpty()) {
                nodeSelectors.set(i, inherited);
            } else {
                List<Map<String, String>> chain = new ArrayList<>(inherited);
                chain.add(own);
                nodeSelectors.set(i, List.copyOf(chain));
            }
        }
    }

    String name(int i) {
        return i == ROOT ? ROOT_NAME : spec[i].name();
    }

    /** Whether the namespace may use pool i: it and every ancestor select the namespace. */
    boolean admitsNamespace(int i, Map<String, String> namespaceLabels) {
        for (int p = i; p != ROOT; p = parent[p]) {
            if (!spec[p].namespaceSelector().matches(namespaceLabels)) {
                return false;
            }
        }
        return true;
    }

    /** The pool (i or an ancestor) whose namespace selector refuses the namespace, or -1. */
    int refusingPool(int i, Map<String, String> namespaceLabels) {
        for (int p = i; p != ROOT; p = parent[p]) {
            if (!spec[p].namespaceSelector().matches(namespaceLabels)) {
                return p;
            }
        }
        return -1;
    }
}
