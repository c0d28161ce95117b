package io.respool.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the workloads ask for, resolved once per run: validated reservations and limits (a VM's
 * sizes cap them, section 5), shares (section 3), demand (section 6, step 1), the pool each one
 * goes to with its pool and namespace checks, and the canonical order in which admission
 * (section 4) takes them. A workload refused here carries its reason and message and is left out
 * of the pools. Numbers live in arrays indexed [dimension][workload], workloads in input order.
 */
final class Workloads {

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

    final int nw;
    /** The specs; the incremental update replaces one whose measured demand alone changed. */
    final WorkloadSpec[] ws;
    /** Pool index, or -1 when refused (a stopped workload keeps its pool). */
    final int[] pool;
    final long[][] wRes;
    final long[][] wLim;
    final long[][] wShares;
    final long[][] wDemand;
    /** Why a workload is not admitted and placed (null while it is), and the message saying so. */
    final String[] reason;
    final String[] message;
    /** Workload indices by admission order, then key: every tie is broken in this order, not input order. */
    final int[] canonical;
    /** The workloads directly in each pool, canonical order. */
    final int[][] poolWorkloads;
    private final Map<String, Map<String, String>> namespaceLabelCache = new HashMap<>();

    Workloads(ClusterSpec input, PoolTree tree) {
        this.input = input;
        this.tree = tree;
        nw = input.workloads().size();
        ws = input.workloads().toArray(WorkloadSpec[]::new);
        pool = new int[nw];
        wRes = new long[ND][nw];
        wLim = new long[ND][nw];
        wShares = new long[ND][nw];
        wDemand = new long[ND][nw];
        reason = new String[nw];
        message = new String[nw];
        resolveWorkloads();
        canonical = canonicalOrder();
        poolWorkloads = groupByPool();
    }

    private void resolveWorkloads() {
        Allocation[] allocation = new Allocation[ND];
        for (int w = 0; w < nw; w++) {
            WorkloadSpec s = ws[w];
            pool[w] = -1;
            List<String> problems = null; // most workloads have none: no list for them
            boolean vm = s.kind() == WorkloadKind.VIRTUAL_MACHINE;
            long vcpuMillis = vm ? (long) s.vcpus() * 1000 : 0;
            if (vm && s.vcpus() < 1) {
                problems = add(problems, "spec.cpu.vcpus " + s.vcpus() + " is below 1: a VM needs at least one vCPU");
            }
            if (vm && s.memorySize() <= 0) {
                problems = add(problems, "spec.memory.size is missing or not positive: a VM needs its memory size, e.g. 4Gi");
            }
            Map<Dimension, Long> demand = s.demand();
            for (Dimension d : DIMS) {
                int di = d.ordinal();
                Allocation a = s.allocation(d);
                allocation[di] = a;
                long r = a.reservation();
                long l = a.limit();
                // A VM cannot use more than its vCPUs or its memory size.
                long size = Quantities.UNLIMITED;
                if (vm && d == Dimension.CPU) {
                    size = vcpuMillis;
                } else if (vm && d == Dimension.MEMORY) {
                    size = s.memorySize();
                }
                if (r < 0 || l < r || (vm && size > 0 && size != Quantities.UNLIMITED && r > size)) {
                    problems = allocationProblems(problems, s, d, r, l, size);
                }
                wRes[di][w] = Math.max(0, r);
                wLim[di][w] = Math.max(0, Math.min(l, size));
                Long measured = demand.isEmpty() ? null : demand.get(d);
                long sizeDemand = size != Quantities.UNLIMITED ? size : wLim[di][w];
                wDemand[di][w] = measured != null ? Math.max(0, measured) : sizeDemand;
            }
            long cpuSize = vm ? vcpuMillis : sizeOf(allocation[Dimension.CPU.ordinal()]);
            long memSize = vm ? s.memorySize() : sizeOf(allocation[Dimension.MEMORY.ordinal()]);
            for (int di = 0; di < ND; di++) {
                wShares[di][w] = SharePresets.forWorkload(s.kind(), DIMS[di], allocation[di].shares(), cpuSize, memSize);
            }
            if (problems != null) {
                refuse(w, INVALID, String.join("; ", problems));
            }
        }
        // Pools in a pass of their own: a short loop whose name lookups (a cache miss each, on the
        // pool's name in the spec) overlap from one workload to the next.
        for (int w = 0; w < nw; w++) {
            if (reason[w] != null) {
                continue;
            }
            resolvePool(w);
            if (reason[w] == null && !ws[w].running()) {
                refuse(w, NOT_RUNNING, "spec.runStrategy keeps " + ws[w].displayName()
                        + " stopped: a stopped workload holds no reservation; it is admitted when it starts");
            }
        }
    }

    private static List<String> add(List<String> problems, String problem) {
        List<String> list = problems == null ? new ArrayList<>() : problems;
        list.add(problem);
        return list;
    }

    /** What is wrong with workload s's reservation r and limit l in dimension d (size: a VM's, else UNLIMITED). */
    private static List<String> allocationProblems(List<String> problems, WorkloadSpec s, Dimension d, long r, long l,
                                                   long size) {
        String field = "spec." + PoolTree.fieldOf(d);
        if (r < 0) {
            problems = add(problems, field + ".reservation " + Quantities.format(d, r) + " is negative: use 0 or more");
        }
        if (l < 0) {
            problems = add(problems, field + ".limit " + Quantities.format(d, l) + " is negative: use 0 or more, or omit it");
        } else if (r >= 0 && l < r) {
            problems = add(problems, field + ".limit " + Quantities.format(d, l) + " is below " + field + ".reservation "
                    + Quantities.format(d, r) + ": the limit must be at least the reservation, or omitted");
        }
        if (size > 0 && size != Quantities.UNLIMITED && r > size) {
            problems = add(problems, field + ".reservation " + Quantities.format(d, r) + " exceeds the VM's "
                    + (d == Dimension.CPU ? s.vcpus() + " vCPUs" : "memory size " + Quantities.format(d, size))
                    + ": reserve at most that");
        }
        return problems;
    }

    /** A container's size for share presets: its limit, else its reservation (0 = use the default). */
    private static long sizeOf(Allocation a) {
        return a.limited() ? a.limit() : a.reservation();
    }

    /** Workload w's demand in dimension di when it reports none: its size (section 6, step 1). */
    long sizeDemand(int w, int di) {
        WorkloadSpec s = ws[w];
        if (s.kind() == WorkloadKind.VIRTUAL_MACHINE && DIMS[di] == Dimension.CPU) {
            return (long) s.vcpus() * 1000;
        }
        if (s.kind() == WorkloadKind.VIRTUAL_MACHINE && DIMS[di] == Dimension.MEMORY) {
            return s.memorySize();
        }
        return wLim[di][w];
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
        int[] all = new int[nw];
        for (int w = 0; w < nw; w++) {
            all[w] = w;
        }
        return Orders.byOrder(all, w -> ws[w].order(), sameOrderTies());
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
}
