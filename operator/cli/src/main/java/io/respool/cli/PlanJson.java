package io.respool.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.respool.engine.Condition;
import io.respool.engine.Dimension;
import io.respool.engine.Plan;
import io.respool.engine.PoolDimensionStatus;
import io.respool.engine.PoolStatus;
import io.respool.engine.Quantities;
import io.respool.engine.WorkloadDimensionStatus;
import io.respool.engine.WorkloadStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The plan as the JSON document of issue 2 (also rendered as YAML): integers in the base units of
 * each dimension, null for unlimited, dimension keys by their JSON name, only the dimensions in play.
 */
final class PlanJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private PlanJson() {
    }

    static ObjectNode of(Plan plan) {
        List<Dimension> dims = dimensions(plan);
        ObjectNode root = JSON.objectNode();
        ObjectNode capacity = root.putObject("capacity");
        for (Dimension d : dims) {
            amount(capacity, d.jsonName(), plan.capacity().getOrDefault(d, Quantities.UNLIMITED));
        }
        ArrayNode pools = root.putArray("pools");
        for (PoolStatus p : plan.pools()) {
            pools.add(pool(p, dims));
        }
        ArrayNode workloads = root.putArray("workloads");
        for (WorkloadStatus w : plan.workloads()) {
            workloads.add(workload(w, dims));
        }
        return root;
    }

    /** The plan's dimensions in their canonical order (cpu, memory, diskIOPS, ...). */
    static List<Dimension> dimensions(Plan plan) {
        return Arrays.stream(Dimension.values()).filter(plan.dimensions()::contains).toList();
    }

    private static ObjectNode pool(PoolStatus p, List<Dimension> dims) {
        ObjectNode o = JSON.objectNode();
        o.put("name", p.name());
        o.put("parent", p.parent());
        o.put("health", p.health().display());
        ArrayNode conditions = o.putArray("conditions");
        for (Condition c : p.conditions()) {
            ObjectNode co = conditions.addObject();
            co.put("type", c.type());
            co.put("status", c.status());
            co.put("reason", c.reason());
            co.put("message", c.message());
        }
        for (Dimension d : dims) {
            PoolDimensionStatus s = p.dimension(d);
            if (s == null) {
                continue;
            }
            ObjectNode x = o.putObject(d.jsonName());
            amount(x, "reservation", s.reservation());
            amount(x, "limit", s.limit());
            amount(x, "effectiveLimit", s.effectiveLimit());
            amount(x, "shares", s.shares());
            amount(x, "effectiveShares", s.effectiveShares());
            x.put("expandable", s.expandable());
            amount(x, "used", s.used());
            amount(x, "available", s.available());
            amount(x, "entitlement", s.entitlement());
        }
        return o;
    }

    private static ObjectNode workload(WorkloadStatus w, List<Dimension> dims) {
        ObjectNode o = JSON.objectNode();
        o.put("kind", w.kind().kindName());
        o.put("namespace", w.namespace());
        o.put("name", w.name());
        o.put("pool", w.pool());
        o.put("admitted", w.admitted());
        o.put("reason", w.reason());
        o.put("message", w.message());
        o.put("node", w.node());
        for (Dimension d : dims) {
            WorkloadDimensionStatus s = w.dimension(d);
            if (s == null) {
                continue;
            }
            ObjectNode x = o.putObject(d.jsonName());
            amount(x, "reservation", s.reservation());
            amount(x, "limit", s.limit());
            amount(x, "effectiveLimit", s.effectiveLimit());
            amount(x, "shares", s.shares());
            amount(x, "demand", s.demand());
            amount(x, "entitlement", s.entitlement());
            amount(x, "cap", s.cap());
        }
        ObjectNode cgroup = o.putObject("cgroup");
        files(cgroup.putObject("v2"), w.cgroup().v2());
        files(cgroup.putObject("v1"), w.cgroup().v1());
        return o;
    }

    private static void files(ObjectNode o, Map<String, String> values) {
        values.forEach(o::put);
    }

    private static void amount(ObjectNode o, String key, long value) {
        if (value == Quantities.UNLIMITED) {
            o.putNull(key);
        } else {
            o.put(key, value);
        }
    }
}
