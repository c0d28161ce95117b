package io.respool.demo;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.respool.api.AppliedWorkload;
import io.respool.api.Container;
import io.respool.api.NodeResourcePlan;
import io.respool.api.PoolResourceStatus;
import io.respool.api.ResourcePool;
import io.respool.api.VirtualMachine;
import io.respool.api.WorkloadAllocation;
import io.respool.api.WorkloadResourceStatus;
import io.respool.api.WorkloadStatusFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@code respool demo} shows: the pool tree with each pool's cpu and memory figures, the
 * workloads below their pools (admission, node, phase, entitlement, reservation, cap), refusals
 * with their reason, and one line per node (its workloads and what the node agent applied). Read
 * from the cluster as a user would read it with kubectl: every figure is the one in a status.
 */
public final class PoolTreeView {

    private static final String ROOT = "";

    private final List<ResourcePool> pools;
    private final List<HasMetadata> workloads;
    private final List<Node> nodes;
    private final Map<String, NodeResourcePlan> plans;

    public PoolTreeView(List<ResourcePool> pools, List<HasMetadata> workloads, List<Node> nodes,
                        List<NodeResourcePlan> plans) {
        this.pools = pools.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
        this.workloads = workloads.stream().sorted(Comparator.comparing(PoolTreeView::display)).toList();
        this.nodes = nodes.stream().sorted(Comparator.comparing(n -> n.getMetadata().getName())).toList();
        this.plans = new TreeMap<>();
        plans.forEach(p -> this.plans.put(p.getMetadata().getName(), p));
    }

    /** Reads everything from the cluster. */
    public static PoolTreeView read(KubernetesClient client) {
        List<HasMetadata> workloads = new ArrayList<>(client.resources(VirtualMachine.class).inAnyNamespace().list()
                .getItems());
        workloads.addAll(client.resources(Container.class).inAnyNamespace().list().getItems());
        return new PoolTreeView(client.resources(ResourcePool.class).list().getItems(), workloads,
                client.nodes().list().getItems(), client.resources(NodeResourcePlan.class).list().getItems());
    }

    // ---- summary

    /** Workloads by what they are doing: Running, Pending, Refused, Stopped, ... */
    public Map<String, Integer> counts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (HasMetadata w : workloads) {
            counts.merge(state(w), 1, Integer::sum);
        }
        return counts;
    }

    /**
     * Settled: every workload's status describes its current generation, and is Running or a final
     * verdict (refused, stopped); every node with workloads has a plan the agent applied, if
     * {@code agents}.
     */
    public boolean settled(boolean agents) {
        for (HasMetadata w : workloads) {
            WorkloadStatusFields s = status(w);
            if (s == null || !Objects.equals(s.getObservedGeneration(), w.getMetadata().getGeneration())) {
                return false;
            }
            String state = state(w);
            if (state.equals("Pending") || state.equals("New")) {
                return false;
            }
        }
        for (ResourcePool p : pools) {
            if (p.getStatus() == null || !Objects.equals(p.getStatus().getObservedGeneration(),
                    p.getMetadata().getGeneration())) {
                return false;
            }
        }
        if (agents) {
            for (NodeResourcePlan plan : plans.values()) {
                int planned = plan.getSpec() == null ? 0 : plan.getSpec().getWorkloads().size();
                if (planned > 0 && (plan.getStatus() == null
                        || !Objects.equals(plan.getStatus().getObservedGeneration(), plan.getMetadata().getGeneration())
                        || found(plan) < planned)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** One line: pools, workloads by state, node plans. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(pools.size()).append(pools.size() == 1 ? " pool, " : " pools, ").append(workloads.size())
                .append(workloads.size() == 1 ? " workload" : " workloads");
        Map<String, Integer> counts = counts();
        if (!counts.isEmpty()) {
            b.append(" (");
            counts.forEach((state, n) -> b.append(n).append(' ').append(state.toLowerCase()).append(", "));
            b.setLength(b.length() - 2);
            b.append(')');
        }
        long withWork = plans.values().stream().filter(p -> p.getSpec() != null && !p.getSpec().getWorkloads().isEmpty())
                .count();
        b.append(", ").append(nodes.size()).append(nodes.size() == 1 ? " node, " : " nodes, ").append(withWork)
                .append(" with a plan");
        return b.toString();
    }

    // ---- the tree

    public String render() {
        Table t = new Table();
        t.row("POOL / WORKLOAD", "STATE", "NODE", "CPU ENT", "RES", "USED/CAP", "AVAIL", "MEM ENT", "RES", "USED/CAP",
                "AVAIL");
        Map<String, List<ResourcePool>> children = new LinkedHashMap<>();
        for (ResourcePool p : pools) {
            String parent = p.getSpec() == null || p.getSpec().getParent() == null ? ROOT : p.getSpec().getParent();
            children.computeIfAbsent(parent, k -> new ArrayList<>()).add(p);
        }
        Map<String, List<HasMetadata>> members = new LinkedHashMap<>();
        for (HasMetadata w : workloads) {
            String pool = pool(w);
            members.computeIfAbsent(pool == null ? ROOT : pool, k -> new ArrayList<>()).add(w);
        }
        t.row("(cluster)", "", "", capacity("cpu"), "", "", "", capacity("memory"), "", "", "");
        List<String> notes = new ArrayList<>();
        addWorkloads(t, members.get(ROOT), 1, notes);
        for (ResourcePool p : children.getOrDefault(ROOT, List.of())) {
            addPool(t, p, 1, children, members, notes);
        }
        // Workloads naming a pool that does not exist.
        members.forEach((pool, ws) -> {
            if (!pool.equals(ROOT) && pools.stream().noneMatch(p -> p.getMetadata().getName().equals(pool))) {
                addWorkloads(t, ws, 1, notes);
            }
        });
        StringBuilder out = new StringBuilder(t.render());
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(n -> out.append(n).append('\n'));
        }
        out.append('\n').append(renderNodes());
        return out.toString();
    }

    private void addPool(Table t, ResourcePool p, int depth, Map<String, List<ResourcePool>> children,
                         Map<String, List<HasMetadata>> members, List<String> notes) {
        String name = p.getMetadata().getName();
        Map<String, PoolResourceStatus> r = p.getStatus() == null ? Map.of() : p.getStatus().getResources();
        String health = p.getStatus() == null || p.getStatus().getHealth() == null ? "?" : p.getStatus().getHealth();
        t.row(indent(depth) + name, health, "", q(ent(r, "cpu")), q(res(r, "cpu")), q(used(r, "cpu")), q(avail(r, "cpu")),
                q(ent(r, "memory")), q(res(r, "memory")), q(used(r, "memory")), q(avail(r, "memory")));
        if (p.getStatus() != null && !"Valid".equals(health)) {
            Condition ready = condition(p.getStatus().getConditions(), "Ready");
            if (ready != null) {
                notes.add("  " + name + ": " + ready.getMessage());
            }
        }
        addWorkloads(t, members.get(name), depth + 1, notes);
        for (ResourcePool child : children.getOrDefault(name, List.of())) {
            addPool(t, child, depth + 1, children, members, notes);
        }
    }

    private void addWorkloads(Table t, List<HasMetadata> ws, int depth, List<String> notes) {
        if (ws == null) {
            return;
        }
        for (HasMetadata w : ws) {
            WorkloadStatusFields s = status(w);
            Map<String, WorkloadResourceStatus> r = s == null || s.getResources() == null ? Map.of() : s.getResources();
            String state = state(w);
            boolean placed = s != null && s.getNode() != null;
            t.row(indent(depth) + display(w), state, placed ? s.getNode() : "-",
                    placed ? q(wEnt(r, "cpu")) : "", q(reservation(w, "cpu")), placed ? q(cap(r, "cpu")) : "", "",
                    placed ? q(wEnt(r, "memory")) : "", q(reservation(w, "memory")), placed ? q(cap(r, "memory")) : "",
                    "");
            if (state.equals("Refused") || state.equals("Unplaced") || state.equals("Failed")) {
                Condition c = condition(s.getConditions(), state.equals("Failed") ? "Ready" : "Admitted");
                if (c == null || "True".equals(c.getStatus())) {
                    c = condition(s.getConditions(), "Placed");
                }
                if (c != null) {
                    notes.add("  " + display(w) + ": " + c.getReason() + ": " + c.getMessage());
                }
            }
        }
    }

    private String renderNodes() {
        Table t = new Table();
        t.row("NODE", "KUBEVIRT", "CPU", "MEMORY", "WORKLOADS", "AGENT");
        for (Node n : nodes) {
            String name = n.getMetadata().getName();
            Map<String, Quantity> alloc = n.getStatus() == null || n.getStatus().getAllocatable() == null ? Map.of()
                    : n.getStatus().getAllocatable();
            boolean kubeVirt = n.getMetadata().getLabels() != null
                    && "true".equals(n.getMetadata().getLabels().get(FakeNode.KUBEVIRT_SCHEDULABLE));
            NodeResourcePlan plan = plans.get(name);
            int planned = plan == null || plan.getSpec() == null ? 0 : plan.getSpec().getWorkloads().size();
            String agent;
            if (plan == null) {
                agent = "no plan yet";
            } else if (plan.getStatus() == null || plan.getStatus().getCgroupVersion() == null) {
                agent = planned == 0 ? "-" : "not reported";
            } else {
                agent = "cgroup " + plan.getStatus().getCgroupVersion() + ", " + found(plan) + "/" + planned
                        + " pod cgroups written";
            }
            t.row(name, kubeVirt ? "yes" : "no", q(alloc.get("cpu")), q(alloc.get("memory")),
                    String.valueOf(planned), agent);
        }
        return t.render();
    }

    // ---- one workload

    /** "VM ns/name" or "CT ns/name". */
    static String display(HasMetadata w) {
        return (w instanceof VirtualMachine ? "VM " : "CT ") + w.getMetadata().getNamespace() + "/"
                + w.getMetadata().getName();
    }

    private static String pool(HasMetadata w) {
        return switch (w) {
            case VirtualMachine vm -> vm.getSpec() == null ? null : vm.getSpec().getPool();
            case Container c -> c.getSpec() == null ? null : c.getSpec().getPool();
            default -> null;
        };
    }

    static WorkloadStatusFields status(HasMetadata w) {
        return switch (w) {
            case VirtualMachine vm -> vm.getStatus();
            case Container c -> c.getStatus();
            default -> null;
        };
    }

    /**
     * Running, Pending, Stopped, Failed from the phase; Refused / Unplaced when not admitted / placed;
     * New before the operator wrote a status.
     */
    static String state(HasMetadata w) {
        WorkloadStatusFields s = status(w);
        if (s == null) {
            return "New";
        }
        Condition admitted = condition(s.getConditions(), "Admitted");
        if (admitted != null && "False".equals(admitted.getStatus()) && !"NotRunning".equals(admitted.getReason())) {
            return "Refused";
        }
        Condition placed = condition(s.getConditions(), "Placed");
        if (admitted != null && "True".equals(admitted.getStatus()) && placed != null
                && "False".equals(placed.getStatus())) {
            return "Unplaced";
        }
        return s.getPhase() == null ? "New" : s.getPhase();
    }

    private static Quantity reservation(HasMetadata w, String dim) {
        WorkloadAllocation a = switch (w) {
            case VirtualMachine vm -> vm.getSpec() == null ? null
                    : dim.equals("cpu") ? vm.getSpec().getCpu() : vm.getSpec().getMemory();
            case Container c -> c.getSpec() == null ? null : dim.equals("cpu") ? c.getSpec().getCpu() : c.getSpec().getMemory();
            default -> null;
        };
        return a == null || a.getReservation() == null ? new Quantity("0") : a.getReservation();
    }

    private static int found(NodeResourcePlan plan) {
        if (plan.getStatus() == null || plan.getStatus().getWorkloads() == null) {
            return 0;
        }
        return (int) plan.getStatus().getWorkloads().stream().filter(AppliedWorkload::isFound).count();
    }

    private String capacity(String dim) {
        Quantity sum = null;
        java.math.BigDecimal total = java.math.BigDecimal.ZERO;
        for (Node n : nodes) {
            Quantity q = n.getStatus() == null || n.getStatus().getAllocatable() == null ? null
                    : n.getStatus().getAllocatable().get(dim);
            if (q != null) {
                total = total.add(q.getNumericalAmount());
                sum = q;
            }
        }
        if (sum == null) {
            return "";
        }
        return q(dim.equals("memory") ? bytes(total) : cores(total));
    }

    private static Quantity cores(java.math.BigDecimal v) {
        java.math.BigDecimal milli = v.movePointRight(3);
        return milli.remainder(java.math.BigDecimal.valueOf(1000)).signum() == 0
                ? new Quantity(v.stripTrailingZeros().toPlainString()) : new Quantity(milli.toBigInteger() + "m");
    }

    private static Quantity bytes(java.math.BigDecimal v) {
        long b = v.longValue();
        if (b % (1L << 30) == 0) {
            return new Quantity((b >> 30) + "Gi");
        }
        if (b % (1L << 20) == 0) {
            return new Quantity((b >> 20) + "Mi");
        }
        return new Quantity(String.valueOf(b));
    }

    static Condition condition(List<Condition> conditions, String type) {
        return conditions == null ? null
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static Quantity ent(Map<String, PoolResourceStatus> r, String d) {
        return r.get(d) == null ? null : r.get(d).getEntitlement();
    }

    private static Quantity res(Map<String, PoolResourceStatus> r, String d) {
        return r.get(d) == null ? null : r.get(d).getReservation();
    }

    private static Quantity used(Map<String, PoolResourceStatus> r, String d) {
        return r.get(d) == null ? null : r.get(d).getUsed();
    }

    private static Quantity avail(Map<String, PoolResourceStatus> r, String d) {
        return r.get(d) == null ? null : r.get(d).getAvailable();
    }

    private static Quantity wEnt(Map<String, WorkloadResourceStatus> r, String d) {
        return r.get(d) == null ? null : r.get(d).getEntitlement();
    }

    private static Quantity cap(Map<String, WorkloadResourceStatus> r, String d) {
        return r.get(d) == null ? null : r.get(d).getCap();
    }

    /** A quantity as written ("250m", "8Gi"); "-" for none. */
    static String q(Quantity q) {
        return q == null ? "-" : q.getAmount() + (q.getFormat() == null ? "" : q.getFormat());
    }

    private static String indent(int depth) {
        return "  ".repeat(Math.max(0, depth - 1));
    }

    /** Left-aligned columns, two spaces apart. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        void row(String... cells) {
            rows.add(cells);
        }

        String render() {
            int n = rows.stream().mapToInt(r -> r.length).max().orElse(0);
            int[] width = new int[n];
            for (String[] r : rows) {
                for (int i = 0; i < r.length; i++) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
            StringBuilder b = new StringBuilder();
            for (String[] r : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < r.length; i++) {
                    line.append(r[i]);
                    if (i < r.length - 1) {
                        line.append(" ".repeat(width[i] - r[i].length() + 2));
                    }
                }
                b.append(line.toString().stripTrailing()).append('\n');
            }
            return b.toString();
        }
    }
}
