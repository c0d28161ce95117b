package io.respool.engine.property;

import static io.respool.engine.property.Sat.INF;

import io.respool.engine.Allocation;
import io.respool.engine.ClusterSpec;
import io.respool.engine.Dimension;
import io.respool.engine.NodeSpec;
import io.respool.engine.Plan;
import io.respool.engine.PoolDimensionStatus;
import io.respool.engine.PoolSpec;
import io.respool.engine.PoolStatus;
import io.respool.engine.Shares;
import io.respool.engine.WorkloadDimensionStatus;
import io.respool.engine.WorkloadKind;
import io.respool.engine.WorkloadSpec;
import io.respool.engine.WorkloadStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The test side's own reading of semantics.md, written plainly and independently of the engine:
 * the tree, effective limits, demand, share presets, pool reservation grants, used / avail and the
 * floors and ceilings of the water-filling. It reads the engine's {@link Plan} only for what the
 * properties then judge (who was admitted, where, the entitlements and caps).
 */
final class Reference {

    /** Key of the implicit root pool in the maps below. */
    static final String ROOT = "(root)";
    static final long MIB = 1024L * 1024;

    final ClusterSpec spec;
    final Plan plan;
    final Map<String, PoolSpec> pools = new LinkedHashMap<>();
    final Map<String, List<PoolSpec>> childPools = new HashMap<>();
    final Map<String, List<WorkloadSpec>> workloadsIn = new HashMap<>();
    final Map<String, WorkloadSpec> workloads = new LinkedHashMap<>();
    final Map<String, WorkloadStatus> workloadStatus = new HashMap<>();
    final Map<String, PoolStatus> poolStatus = new HashMap<>();
    final Map<String, NodeSpec> nodes = new LinkedHashMap<>();
    final Map<Dimension, Long> capacity = new EnumMap<>(Dimension.class);
    /** Each pool's own reservation as granted by its parent (0 where it did not fit), section 4. */
    final Map<String, EnumMap<Dimension, Long>> granted;
    private final Map<String, Boolean> activePools = new HashMap<>();
    /** Why the test refused a pool's reservation, for failure messages. */
    final Map<String, String> grantRefusals = new HashMap<>();

    Reference(ClusterSpec spec, Plan plan) {
        this.spec = spec;
        this.plan = plan;
        for (PoolSpec p : spec.pools()) {
            pools.put(p.name(), p);
        }
        for (PoolSpec p : spec.pools()) {
            childPools.computeIfAbsent(parentKey(p), k -> new ArrayList<>()).add(p);
        }
        for (WorkloadSpec w : spec.workloads()) {
            workloads.put(w.key(), w);
            if (knownPool(poolKey(w))) {
                workloadsIn.computeIfAbsent(poolKey(w), k -> new ArrayList<>()).add(w);
            }
        }
        for (NodeSpec n : spec.nodes()) {
            nodes.put(n.name(), n);
        }
        if (plan != null) {
            for (WorkloadStatus s : plan.workloads()) {
                workloadStatus.put(s.key(), s);
            }
            for (PoolStatus s : plan.pools()) {
                poolStatus.put(s.name(), s);
            }
        }
        // Section 2: root capacity = Σ over eligible (Ready, schedulable) nodes of allocatable minus
        // other pods' requests. A node that does not declare a dimension does not bound it
        // (NodeSpec), so one such eligible node makes the dimension unbounded; with no eligible
        // node at all the sum is empty: 0.
        for (Dimension d : Dimension.values()) {
            long sum = 0;
            for (NodeSpec n : spec.nodes()) {
                if (n.ready() && n.schedulable()) {
                    sum = Sat.add(sum, free(n, d));
                }
            }
            capacity.put(d, sum);
        }
        granted = grantPoolReservations();
    }

    // ------------------------------------------------------------------ the tree

    static String parentKey(PoolSpec p) {
        return p.parent() == null ? ROOT : p.parent();
    }

    static String poolKey(WorkloadSpec w) {
        return w.pool() == null ? ROOT : w.pool();
    }

    boolean knownPool(String key) {
        return ROOT.equals(key) || pools.containsKey(key);
    }

    /** The pool and its ancestors, innermost first, without the root. */
    List<PoolSpec> chain(String key) {
        List<PoolSpec> out = new ArrayList<>();
        String k = key;
        while (!ROOT.equals(k) && pools.containsKey(k) && out.size() <= pools.size()) {
            PoolSpec p = pools.get(k);
            out.add(p);
            k = parentKey(p);
        }
        return out;
    }

    List<PoolSpec> childPools(String key) {
        return childPools.getOrDefault(key, List.of());
    }

    List<WorkloadSpec> workloadsIn(String key) {
        return workloadsIn.getOrDefault(key, List.of());
    }

    /** Pools in admission order of their own reservation. */
    List<PoolSpec> poolsInOrder() {
        return spec.pools().stream().sorted(Comparator.comparingLong(PoolSpec::order)
                .thenComparing(PoolSpec::name)).toList();
    }

    /**
     * Workloads in admission order, section 4: "in order of metadata.creationTimestamp, then
     * name" (then namespace and kind, which the contract leaves open, to make the order total).
     */
    List<WorkloadSpec> workloadsInOrder() {
        return spec.workloads().stream().sorted(Comparator.comparingLong(WorkloadSpec::order)
                .thenComparing(WorkloadSpec::name).thenComparing(WorkloadSpec::namespace)
                .thenComparing(w -> w.kind().kindName())).toList();
    }

    WorkloadStatus status(WorkloadSpec w) {
        WorkloadStatus s = workloadStatus.get(w.key());
        if (s == null) {
            throw new AssertionError("plan has no status for " + w.key());
        }
        return s;
    }

    PoolStatus status(PoolSpec p) {
        PoolStatus s = poolStatus.get(p.name());
        if (s == null) {
            throw new AssertionError("plan has no status for pool " + p.name());
        }
        return s;
    }

    WorkloadDimensionStatus status(WorkloadSpec w, Dimension d) {
        WorkloadDimensionStatus s = status(w).dimension(d);
        if (s == null) {
            throw new AssertionError("plan has no " + d.jsonName() + " figures for " + w.key());
        }
        return s;
    }

    PoolDimensionStatus status(PoolSpec p, Dimension d) {
        PoolDimensionStatus s = status(p).dimension(d);
        if (s == null) {
            throw new AssertionError("plan has no " + d.jsonName() + " figures for pool " + p.name());
        }
        return s;
    }

    /** "Active" (brief and section 3): admitted, placed on a node and running. */
    boolean active(WorkloadSpec w) {
        WorkloadStatus s = status(w);
        return s.admitted() && s.node() != null && w.running();
    }

    /** Section 3: a pool is active when it has an active descendant workload. */
    boolean activePool(String name) {
        Boolean memo = activePools.get(name);
        if (memo != null) {
            return memo;
        }
        boolean a = workloadsIn(name).stream().anyMatch(this::active)
                || childPools(name).stream().anyMatch(c -> activePool(c.name()));
        activePools.put(name, a);
        return a;
    }

    /** Valid tree in dimension d: every pool reports Health VALID there. */
    boolean validTree(Dimension d) {
        for (PoolSpec p : spec.pools()) {
            if (status(p, d).health() != io.respool.engine.Health.VALID) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ per-object figures

    static long reservation(WorkloadSpec w, Dimension d) {
        return w.allocation(d).reservation();
    }

    /** A VM's size: vCPUs in millicores, memory size in bytes; INF otherwise. */
    static long vmSize(WorkloadSpec w, Dimension d) {
        if (w.kind() == WorkloadKind.VIRTUAL_MACHINE) {
            if (d == Dimension.CPU) {
                return w.vcpus() * 1000L;
            }
            if (d == Dimension.MEMORY) {
                return w.memorySize();
            }
        }
        return INF;
    }

    /**
     * Section 5: own limit; a VM's cpu limit defaults to its vCPU count, its memory limit to its
     * memory size.
     */
    static long ownLimit(WorkloadSpec w, Dimension d) {
        Allocation a = w.allocation(d);
        if (a.limit() != INF) {
            return a.limit();
        }
        return vmSize(w, d);
    }

    /**
     * Section 6.1: measured demand when reported, else the size: a VM's vCPUs / memory size; a
     * Container's limit, else unbounded. (A VM has no "size" in disk and network: like a Container,
     * its limit, else unbounded.)
     */
    static long demand(WorkloadSpec w, Dimension d) {
        Long measured = w.demand().get(d);
        if (measured != null) {
            return measured;
        }
        long size = vmSize(w, d);
        return size != INF ? size : w.allocation(d).limit();
    }

    /** Section 5: min of the pool's own limit and its ancestors' (the root adds no limit). */
    long poolEffectiveLimit(String key, Dimension d) {
        long l = INF;
        for (PoolSpec p : chain(key)) {
            l = Math.min(l, p.allocation(d).limit());
        }
        return l;
    }

    long effectiveLimit(WorkloadSpec w, Dimension d) {
        return Math.min(ownLimit(w, d), poolEffectiveLimit(poolKey(w), d));
    }

    /** Section 6.1: D_P = min(L_P, Σ D of its active children). */
    long poolDemand(String name, Dimension d) {
        long sum = 0;
        for (WorkloadSpec w : workloadsIn(name)) {
            if (active(w)) {
                sum = Sat.add(sum, demand(w, d));
            }
        }
        for (PoolSpec c : childPools(name)) {
            if (activePool(c.name())) {
                sum = Sat.add(sum, poolDemand(c.name(), d));
            }
        }
        long limit = ROOT.equals(name) ? capacity.get(d) : pools.get(name).allocation(d).limit();
        return Math.min(limit, sum);
    }

    /** Section 6.3: E_root = min(capacity, D_root). */
    long rootEntitlement(Dimension d) {
        return Math.min(capacity.get(d), poolDemand(ROOT, d));
    }

    long granted(String pool, Dimension d) {
        return granted.get(pool).getOrDefault(d, 0L);
    }

    // ------------------------------------------------------------------ section 3: shares

    static double levelFactor(Shares s) {
        return switch (s.level()) {
            case LOW -> 0.5;
            case NORMAL -> 1;
            case HIGH -> 2;
            case CUSTOM -> Double.NaN;
        };
    }

    /**
     * Section 3 presets for a workload: VM cpu 1000 per vCPU, memory 10 per MiB; a Container sized
     * by its limit, else its reservation, else 1 CPU / 1 GiB; disk and network 1000; times 0.5 / 1 / 2.
     */
    static double workloadShares(WorkloadSpec w, Dimension d) {
        Allocation a = w.allocation(d);
        if (a.shares().level() == Shares.Level.CUSTOM) {
            return a.shares().custom();
        }
        double f = levelFactor(a.shares());
        if (d != Dimension.CPU && d != Dimension.MEMORY) {
            return 1000 * f;
        }
        long size;
        if (w.kind() == WorkloadKind.VIRTUAL_MACHINE) {
            size = vmSize(w, d);
        } else if (a.limit() != INF && a.limit() > 0) { // a zero size would give no shares: S > 0
            size = a.limit();
        } else if (a.reservation() > 0) {
            size = a.reservation();
        } else {
            size = d == Dimension.CPU ? 1000 : 1024 * MIB;
        }
        return d == Dimension.CPU ? f * size : f * 10.0 * size / MIB;
    }

    /**
     * The same with the memory size rounded down to whole MiB ("10 per MiB" read per whole MiB):
     * the low end of what the reported shares may be.
     */
    static double workloadSharesWholeMib(WorkloadSpec w, Dimension d) {
        double exact = workloadShares(w, d);
        if (d != Dimension.MEMORY || w.allocation(d).shares().level() == Shares.Level.CUSTOM) {
            return exact;
        }
        double sizeMib = exact / (levelFactor(w.allocation(d).shares()) * 10.0);
        return levelFactor(w.allocation(d).shares()) * 10.0 * Math.floor(sizeMib + 1e-9);
    }

    /** Section 3: a pool's presets are those of a 4-vCPU / 16-GiB VM. */
    static double poolShares(PoolSpec p, Dimension d) {
        Shares s = p.allocation(d).shares();
        if (s.level() == Shares.Level.CUSTOM) {
            return s.custom();
        }
        double f = levelFactor(s);
        return switch (d) {
            case CPU -> 4000 * f;
            case MEMORY -> 163840 * f;
            default -> 1000 * f;
        };
    }

    /**
     * Section 3, scalable shares: the multiplier m of a child pool (0.5 / 1 / 2, custom S/4000 for
     * cpu, S/163840 for memory); NaN where semantics.md gives none (custom in disk / network).
     */
    static double scalableMultiplier(PoolSpec child, Dimension d) {
        Shares s = child.allocation(d).shares();
        if (s.level() != Shares.Level.CUSTOM) {
            return levelFactor(s);
        }
        return switch (d) {
            case CPU -> s.custom() / 4000.0;
            case MEMORY -> s.custom() / 163840.0;
            default -> Double.NaN;
        };
    }

    /**
     * Σ of the shares of the active workloads anywhere below pool {@code name}, as reported (the
     * reported workload shares are checked against the presets on their own).
     */
    double activeWorkloadSharesBelow(String name, Dimension d) {
        double sum = 0;
        for (WorkloadSpec w : workloadsIn(name)) {
            if (active(w)) {
                sum += status(w, d).shares();
            }
        }
        for (PoolSpec c : childPools(name)) {
            sum += activeWorkloadSharesBelow(c.name(), d);
        }
        return sum;
    }

    // ------------------------------------------------------------------ section 4: used / avail

    /**
     * Section 4's bookkeeping. {@code direct} holds Σ R_w of the admitted workloads directly in a
     * pool (or the root); {@code granted} each pool's own reservation as charged to its parent.
     */
    final class Ledger {
        final Map<String, EnumMap<Dimension, Long>> direct = new HashMap<>();
        final Map<String, EnumMap<Dimension, Long>> granted;

        Ledger(Map<String, EnumMap<Dimension, Long>> granted) {
            this.granted = granted;
        }

        void charge(String key, WorkloadSpec w) {
            EnumMap<Dimension, Long> m = direct.computeIfAbsent(key, k -> new EnumMap<>(Dimension.class));
            for (Dimension d : Dimension.values()) {
                m.merge(d, reservation(w, d), Sat::add);
            }
        }

        long grantedR(String pool, Dimension d) {
            EnumMap<Dimension, Long> m = granted.get(pool);
            return m == null ? 0 : m.getOrDefault(d, 0L);
        }

        /** used(P) = Σ R_w over admitted w directly in P + Σ max(R_c, used(c)) over child pools c. */
        long used(String key, Dimension d) {
            long u = direct.getOrDefault(key, new EnumMap<>(Dimension.class)).getOrDefault(d, 0L);
            for (PoolSpec c : childPools(key)) {
                u = Sat.add(u, Math.max(grantedR(c.name(), d), used(c.name(), d)));
            }
            return u;
        }

        /**
         * avail(P) = max(0, R_P − used(P)) + (P expandable ? min(avail(parent), L_P − max(R_P, used(P))) : 0);
         * root: R = L = capacity, not expandable.
         */
        long avail(String key, Dimension d) {
            if (ROOT.equals(key)) {
                long cap = capacity.get(d);
                return cap == INF ? INF : Math.max(0, cap - used(ROOT, d));
            }
            PoolSpec p = pools.get(key);
            Allocation a = p.allocation(d);
            long r = grantedR(key, d);
            long u = used(key, d);
            long own = Math.max(0, r - u);
            if (!a.expandable()) {
                return own;
            }
            long headroom = a.limit() == INF ? INF : Math.max(0, a.limit() - Math.max(r, u));
            return Sat.add(own, Math.min(avail(parentKey(p), d), headroom));
        }
    }

    /**
     * Section 4: "a child pool's own reservation is charged the same way" as a workload's: in
     * order, it is granted when what it adds to its parent's used, max(R, used(P)) − used(P), is
     * ≤ avail(parent) in every dimension, else the pool counts as R = 0
     * (in every dimension) "until it fits". Workloads admitted in an earlier run stay admitted and
     * hold their reservations first, so after a loss of capacity it is a pool's reservation that
     * stops fitting, never an admitted workload. New workloads come after every pool in the
     * generated inputs, so they play no part here.
     */
    private Map<String, EnumMap<Dimension, Long>> grantPoolReservations() {
        Map<String, EnumMap<Dimension, Long>> g = new HashMap<>();
        for (PoolSpec p : spec.pools()) {
            g.put(p.name(), new EnumMap<>(Dimension.class));
        }
        Ledger ledger = new Ledger(g);
        for (WorkloadSpec w : spec.workloads()) {
            if (w.admitted() && w.running() && knownPool(poolKey(w)) && namespaceAllowed(w)) {
                ledger.charge(poolKey(w), w);
            }
        }
        for (PoolSpec p : poolsInOrder()) {
            boolean fits = true;
            for (Dimension d : Dimension.values()) {
                // Granting R raises used(parent) by max(R, used(P)) − used(P): what the workloads
                // below already hold is inside the pool's reservation.
                long need = Math.max(0, p.allocation(d).reservation() - ledger.used(p.name(), d));
                long avail = ledger.avail(parentKey(p), d);
                if (need > avail) {
                    fits = false;
                    grantRefusals.put(p.name(), d.jsonName() + " needs " + need + " > avail " + Sat.show(avail));
                }
            }
            if (fits) {
                for (Dimension d : Dimension.values()) {
                    g.get(p.name()).put(d, p.allocation(d).reservation());
                }
            }
        }
        return g;
    }

    /**
     * Section 4: the engine's {@code ReservationGranted} condition of every pool agrees with the
     * test's own grants (a pool with no reservation at all may say either).
     */
    void checkGrants() {
        for (PoolSpec p : spec.pools()) {
            boolean mine = !grantRefusals.containsKey(p.name());
            boolean any = false;
            for (Dimension d : Dimension.values()) {
                any |= p.allocation(d).reservation() > 0;
            }
            io.respool.engine.Condition c = status(p).conditions().stream()
                    .filter(x -> x.type().equals("ReservationGranted")).findFirst().orElse(null);
            if (any && (c == null || c.isTrue() != mine)) {
                throw new AssertionError("pool " + p.name() + ": ReservationGranted " + (c == null ? "missing" : c.status()
                        + " (" + c.message() + ")") + " but section 4 " + (mine ? "grants it"
                        : "refuses it: " + grantRefusals.get(p.name())));
            }
        }
    }

    /** A ledger holding the pools' grants and the reservations of the workloads the engine admitted. */
    Ledger ledgerOfPlan() {
        Ledger ledger = new Ledger(granted);
        for (WorkloadSpec w : spec.workloads()) {
            if (status(w).admitted() && knownPool(poolKey(w))) {
                ledger.charge(poolKey(w), w);
            }
        }
        return ledger;
    }

    // ------------------------------------------------------------------ sections 7 and architecture: where it may run

    /** The test's own reading of a label selector: every matchLabel equal, every expression true. */
    static boolean selects(io.respool.engine.LabelSelector sel, Map<String, String> labels) {
        for (Map.Entry<String, String> e : sel.matchLabels().entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (io.respool.engine.LabelSelector.Requirement r : sel.matchExpressions()) {
            String v = labels.get(r.key());
            boolean ok = switch (r.operator()) {
                case IN -> v != null && r.values().contains(v);
                case NOT_IN -> v == null || !r.values().contains(v);
                case EXISTS -> v != null;
                case DOES_NOT_EXIST -> v == null;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    static boolean subset(Map<String, String> selector, Map<String, String> labels) {
        return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    Map<String, String> namespaceLabels(String namespace) {
        Map<String, String> l = spec.namespaceLabels().get(namespace);
        return l != null ? l : Map.of("kubernetes.io/metadata.name", namespace);
    }

    /** Architecture: a pool's namespaceSelector admits namespaces; a child is never more open than its parent. */
    boolean namespaceAllowed(WorkloadSpec w) {
        Map<String, String> labels = namespaceLabels(w.namespace());
        return chain(poolKey(w)).stream().allMatch(p -> selects(p.namespaceSelector(), labels));
    }

    /**
     * Section 7 without capacity: Ready and schedulable; VMs only on KubeVirt nodes; the workload's
     * node selector and those of its pool and every ancestor pool (they are inherited) match.
     */
    boolean eligible(WorkloadSpec w, NodeSpec n) {
        if (!n.ready() || !n.schedulable()) {
            return false;
        }
        if (w.kind() == WorkloadKind.VIRTUAL_MACHINE && !"true".equals(n.labels().get(NodeSpec.KUBEVIRT_LABEL))) {
            return false;
        }
        if (!subset(w.nodeSelector(), n.labels())) {
            return false;
        }
        return chain(poolKey(w)).stream().allMatch(p -> subset(p.nodeSelector(), n.labels()));
    }

    /** Node allocatable minus other pods' requests, or INF where the node does not declare d. */
    static long free(NodeSpec n, Dimension d) {
        Long a = n.allocatable().get(d);
        return a == null ? INF : Math.max(0, a - n.otherRequests().getOrDefault(d, 0L));
    }

    /** Section 7: unreserved capacity ≥ R_w in every node-local dimension the node declares. */
    static boolean roomFor(WorkloadSpec w, NodeSpec n, Map<Dimension, Long> reservedThere) {
        for (Dimension d : Dimension.values()) {
            if (d.nodeLocal() && n.allocatable().containsKey(d)) {
                long reserved = reservedThere == null ? 0 : reservedThere.getOrDefault(d, 0L);
                if (Sat.add(reserved, reservation(w, d)) > free(n, d)) {
                    return false;
                }
            }
        }
        return true;
    }

    static void addReservations(Map<Dimension, Long> reservedThere, WorkloadSpec w) {
        for (Dimension d : Dimension.values()) {
            reservedThere.merge(d, reservation(w, d), Sat::add);
        }
    }

    // ------------------------------------------------------------------ section 6: floors and ceilings

    /** One active child of a pool in one dimension, with the test's lo / hi and the engine's E and S. */
    record Child(String label, boolean pool, long reservation, long demand, long limit, long lo, long hi,
                 long entitlement, long shares) {
    }

    /**
     * The active children of pool {@code key} (or the root) in dimension d, section 6.2:
     * lo_c = min(max(R_c, used(c)), D_c) for a pool, lo_w = min(R_w, D_w) for a workload;
     * hi_c = max(lo_c, min(L_c, D_c)).
     */
    List<Child> activeChildren(String key, Dimension d, Ledger ledger) {
        List<Child> out = new ArrayList<>();
        for (WorkloadSpec w : workloadsIn(key)) {
            if (!active(w)) {
                continue;
            }
            WorkloadDimensionStatus s = status(w, d);
            long r = reservation(w, d);
            long dem = demand(w, d);
            long l = ownLimit(w, d);
            long lo = Math.min(r, dem);
            long hi = Math.max(lo, Math.min(l, dem));
            out.add(new Child(w.key(), false, r, dem, l, lo, hi, s.entitlement(), s.shares()));
        }
        for (PoolSpec c : childPools(key)) {
            if (!activePool(c.name())) {
                continue;
            }
            PoolDimensionStatus s = status(c, d);
            long r = ledger.grantedR(c.name(), d);
            long used = ledger.used(c.name(), d);
            long dem = poolDemand(c.name(), d);
            long l = c.allocation(d).limit();
            long lo = Math.min(Math.max(r, used), dem);
            long hi = Math.max(lo, Math.min(l, dem));
            out.add(new Child("pool " + c.name(), true, r, dem, l, lo, hi, s.entitlement(), s.effectiveShares()));
        }
        return out;
    }

    /** E of a pool as reported, or the root's per section 6.3. */
    long entitlementOf(String key, Dimension d) {
        return ROOT.equals(key) ? rootEntitlement(d) : status(pools.get(key), d).entitlement();
    }

    /** The root and every pool, parents first. */
    List<String> poolKeys() {
        List<String> keys = new ArrayList<>();
        keys.add(ROOT);
        for (PoolSpec p : spec.pools()) {
            keys.add(p.name());
        }
        return keys;
    }

    /** The engine's figures for every pool and workload in dimension d, for failure messages. */
    String dump(Dimension d) {
        StringBuilder sb = new StringBuilder("\n  engine figures in ").append(d.jsonName()).append(':');
        for (PoolSpec p : spec.pools()) {
            PoolStatus ps = poolStatus.get(p.name());
            PoolDimensionStatus s = ps == null ? null : ps.dimension(d);
            if (s != null) {
                sb.append("\n   pool ").append(p.name()).append(" health=").append(s.health()).append(" used=")
                        .append(s.used()).append(" avail=").append(Sat.show(s.available())).append(" E=")
                        .append(Sat.show(s.entitlement())).append(" S=").append(s.effectiveShares())
                        .append(" | test grants R=").append(granted(p.name(), d))
                        .append(grantRefusals.containsKey(p.name()) ? " (" + grantRefusals.get(p.name()) + ")" : "")
                        .append(" | ")
                        .append(ps.conditions().stream().filter(c -> !c.type().equals("Ready"))
                                .map(c -> c.type() + "=" + c.status() + " " + c.message()).toList());
            }
        }
        for (WorkloadSpec w : spec.workloads()) {
            WorkloadStatus ws = workloadStatus.get(w.key());
            WorkloadDimensionStatus s = ws == null ? null : ws.dimension(d);
            if (ws != null) {
                sb.append("\n   ").append(w.key()).append(' ').append(ws.admitted() ? "on " + ws.node() : ws.reason());
                if (ws.node() != null && nodes.containsKey(ws.node()) && !nodes.get(ws.node()).ready()) {
                    sb.append(" (NOT READY)");
                }
                if (s != null) {
                    sb.append(" R=").append(s.reservation()).append(" D=").append(Sat.show(s.demand()))
                            .append(" E=").append(Sat.show(s.entitlement())).append(" cap=").append(Sat.show(s.cap()));
                }
            }
        }
        return sb.toString();
    }

    static String describe(List<Child> children) {
        StringBuilder sb = new StringBuilder();
        for (Child c : children) {
            sb.append("\n   ").append(c.label()).append(": R=").append(Sat.show(c.reservation()))
                    .append(" D=").append(Sat.show(c.demand())).append(" L=").append(Sat.show(c.limit()))
                    .append(" lo=").append(Sat.show(c.lo())).append(" hi=").append(Sat.show(c.hi()))
                    .append(" S=").append(c.shares()).append(" E=").append(Sat.show(c.entitlement()));
        }
        return sb.toString();
    }
}
