package io.respool.cli;

import io.respool.engine.CgroupValues;
import io.respool.engine.Condition;
import io.respool.engine.Dimension;
import io.respool.engine.NodePlan;
import io.respool.engine.Plan;
import io.respool.engine.PoolDimensionStatus;
import io.respool.engine.PoolStatus;
import io.respool.engine.Quantities;
import io.respool.engine.WorkloadDimensionStatus;
import io.respool.engine.WorkloadStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan for people: the pool tree indented with each dimension's figures, then each workload
 * with its admission, node, entitlements and cgroup values, then the nodes. Quantities in human
 * form ("250m", "4Gi", "100M").
 */
final class PlanTable {

    private static final int WIDTH = 100;

    private final Plan plan;
    private final List<Dimension> dims;
    private final StringBuilder out = new StringBuilder();
    /** Whether some figure shows "(x)": an effective value differing from the declared one. */
    private boolean legend;

    private PlanTable(Plan plan) {
        this.plan = plan;
        this.dims = PlanJson.dimensions(plan);
    }

    static String render(Plan plan) {
        return new PlanTable(plan).render();
    }

    private String render() {
        capacity();
        pools();
        workloads();
        nodes();
        if (legend) {
            out.append("\n\"a (b)\": b is the effective value: for LIMIT the smallest limit on the path to the"
                    + " cluster, for SHARES the shares among siblings (scalable shares).\n");
        }
        return out.toString();
    }

    private void capacity() {
        List<String> parts = new ArrayList<>();
        for (Dimension d : dims) {
            parts.add(d.jsonName() + " " + fmt(d, plan.capacity().getOrDefault(d, Quantities.UNLIMITED)));
        }
        out.append("CLUSTER CAPACITY: ").append(String.join(", ", parts)).append('\n');
    }

    // ---- pools

    private void pools() {
        out.append("\nPOOLS\n");
        TextTable t = new TextTable("", "POOL", "DIMENSION", "RESERVATION", "LIMIT", "EXPANDABLE", "SHARES",
                "USED", "AVAILABLE", "ENTITLEMENT", "HEALTH");
        boolean first = true;
        for (Dimension d : dims) {
            // The root pool: the nodes' capacity, reserved by the top-level pools and the root's own workloads.
            PoolDimensionStatus s = plan.root().get(d);
            t.row(first ? "(cluster)" : "", d.jsonName(), fmt(d, s.reservation()), fmt(d, s.limit()), "no", "-",
                    fmt(d, s.used()), fmt(d, s.available()), fmt(d, s.entitlement()), s.health().display());
            first = false;
        }
        Map<String, Integer> depth = depths();
        List<String> notes = new ArrayList<>();
        for (PoolStatus p : plan.pools()) {
            String name = "  ".repeat(depth.getOrDefault(p.name(), 1)) + p.name();
            first = true;
            for (Dimension d : dims) {
                PoolDimensionStatus s = p.dimension(d);
                if (s == null) {
                    continue;
                }
                legend |= s.effectiveLimit() != s.limit() || s.effectiveShares() != s.shares();
                t.row(first ? name : "", d.jsonName(), fmt(d, s.reservation()), fmt(d, s.limit())
                                + (s.effectiveLimit() != s.limit() ? " (" + fmt(d, s.effectiveLimit()) + ")" : ""),
                        s.expandable() ? "yes" : "no",
                        s.shares() + (s.effectiveShares() != s.shares() ? " (" + s.effectiveShares() + ")" : ""),
                        fmt(d, s.used()), fmt(d, s.available()), fmt(d, s.entitlement()), s.health().display());
                first = false;
            }
            for (Condition c : p.conditions()) {
                if (!c.isTrue()) {
                    notes.add(p.name() + ": " + c.type() + "=" + c.status() + " (" + c.reason() + "): " + c.message());
                }
            }
        }
        t.appendTo(out);
        for (String note : notes) {
            out.append("! ").append(note).append('\n');
        }
    }

    /** Depth in the tree: 1 for children of the cluster, by following parents (cycles stop). */
    private Map<String, Integer> depths() {
        Map<String, String> parent = new HashMap<>();
        for (PoolStatus p : plan.pools()) {
            parent.put(p.name(), p.parent());
        }
        Map<String, Integer> depth = new HashMap<>();
        for (PoolStatus p : plan.pools()) {
            int d = 1;
            String at = p.parent();
            java.util.Set<String> seen = new java.util.HashSet<>(List.of(p.name()));
            while (at != null && parent.containsKey(at) && seen.add(at)) {
                d++;
                at = parent.get(at);
            }
            // A pool in a cycle or under an unknown parent is shown at the top level.
            depth.put(p.name(), at != null ? 1 : d);
        }
        return depth;
    }

    // ---- workloads

    private void workloads() {
        out.append("\nWORKLOADS\n");
        if (plan.workloads().isEmpty()) {
            out.append("(none)\n");
        }
        for (WorkloadStatus w : plan.workloads()) {
            out.append(w.kind().kindName()).append(' ').append(w.namespace()).append('/').append(w.name())
                    .append("  pool ").append(w.pool() == null ? "(cluster)" : w.pool())
                    .append("  node ").append(w.node() == null ? "-" : w.node())
                    .append("  ").append(w.admitted() ? "admitted" : "NOT ADMITTED")
                    .append(" (").append(w.reason()).append(")\n");
            if ((!w.admitted() || !"Admitted".equals(w.reason())) && w.message() != null) {
                out.append("  ").append(w.message()).append('\n');
            }
            TextTable t = new TextTable("  ", "DIMENSION", "RESERVATION", "LIMIT", "SHARES", "DEMAND",
                    "ENTITLEMENT", "CAP", "NODE TARGET");
            for (Dimension d : dims) {
                WorkloadDimensionStatus s = w.dimension(d);
                if (s == null) {
                    continue;
                }
                legend |= s.effectiveLimit() != s.limit();
                t.row(d.jsonName(), fmt(d, s.reservation()), fmt(d, s.limit())
                                + (s.effectiveLimit() != s.limit() ? " (" + fmt(d, s.effectiveLimit()) + ")" : ""),
                        Long.toString(s.shares()), fmt(d, s.demand()), fmt(d, s.entitlement()), fmt(d, s.cap()),
                        fmt(d, s.nodeTarget()));
            }
            t.appendTo(out);
            cgroup(w.cgroup());
            out.append('\n');
        }
    }

    private void cgroup(CgroupValues values) {
        if (values.v2().isEmpty() && values.v1().isEmpty()) {
            out.append("  cgroup: none (not running on a node)\n");
            return;
        }
        files("  cgroup v2: ", values.v2());
        files("  cgroup v1: ", values.v1());
    }

    /** key=value pairs, wrapped under the label; values with blanks quoted. */
    private void files(String label, Map<String, String> values) {
        StringBuilder line = new StringBuilder(label);
        String pad = " ".repeat(label.length());
        boolean empty = true;
        for (Map.Entry<String, String> e : values.entrySet()) {
            String v = e.getValue().contains(" ") ? "\"" + e.getValue() + "\"" : e.getValue();
            String item = e.getKey() + "=" + v;
            if (!empty && line.length() + 2 + item.length() > WIDTH) {
                out.append(line).append('\n');
                line = new StringBuilder(pad);
                empty = true;
            }
            line.append(empty ? "" : "  ").append(item);
            empty = false;
        }
        out.append(line).append('\n');
    }

    // ---- nodes

    private void nodes() {
        out.append("NODES\n");
        if (plan.nodes().isEmpty()) {
            out.append("(none)\n");
            return;
        }
        TextTable t = new TextTable("", "NODE", "RESERVED / FREE", "WORKLOADS");
        for (NodePlan n : plan.nodes()) {
            List<String> parts = new ArrayList<>();
            for (Dimension d : dims) {
                if (n.free().containsKey(d)) {
                    parts.add(d.jsonName() + " " + fmt(d, n.reserved().getOrDefault(d, 0L)) + " / "
                            + fmt(d, n.free().get(d)));
                }
            }
            t.row(n.name(), parts.isEmpty() ? "-" : String.join(", ", parts),
                    n.workloads().isEmpty() ? "-" : String.join(", ", n.workloads().stream()
                            .map(k -> k.substring(k.indexOf('/') + 1)).toList()));
        }
        t.appendTo(out);
    }

    /**
     * {@link Quantities#format}, except that a byte or bit rate that is not a round number of some
     * unit is shown approximately ("~8.57Gi" rather than "9203501349"); -o json has the exact value.
     */
    static String fmt(Dimension d, long value) {
        String exact = Quantities.format(d, value);
        if (value == Quantities.UNLIMITED || !exact.chars().allMatch(Character::isDigit)) {
            return exact;
        }
        return switch (d) {
            case MEMORY, DISK_BANDWIDTH -> approximate(value, 1024, new String[] {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"}, exact);
            case NETWORK_EGRESS, NETWORK_INGRESS -> approximate(value, 1000, new String[] {"k", "M", "G", "T", "P", "E"}, exact);
            default -> exact;
        };
    }

    private static String approximate(long value, long base, String[] suffixes, String exact) {
        if (value < base * base) {
            return exact;
        }
        double v = value;
        int i = -1;
        while (i + 1 < suffixes.length && v >= base) {
            v /= base;
            i++;
        }
        String digits = v >= 100 ? String.format(java.util.Locale.ROOT, "%.0f", v)
                : v >= 10 ? String.format(java.util.Locale.ROOT, "%.1f", v)
                : String.format(java.util.Locale.ROOT, "%.2f", v);
        return "~" + digits + suffixes[i];
    }
}
