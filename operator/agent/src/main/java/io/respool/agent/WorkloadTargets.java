package io.respool.agent;

import io.respool.engine.CgroupRenderer;
import io.respool.engine.Dimension;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One workload of a node's plan, as the agent needs it: who it is, which pod's cgroup gets the
 * values, and its canonical targets per dimension (engine base units).
 *
 * @param kind      VirtualMachine or Container
 * @param namespace the workload's namespace
 * @param name      the workload's name
 * @param pool      the pool it belongs to (null: root), for logs only
 * @param podUid    UID of the pod whose cgroup is configured (a VM's virt-launcher pod); null
 *                  while the operator has not seen the pod yet
 * @param targets   targets per dimension; a dimension absent here is left alone
 */
public record WorkloadTargets(String kind, String namespace, String name, String pool, String podUid,
                              Map<Dimension, CgroupRenderer.Target> targets) {

    public WorkloadTargets {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        targets = targets == null || targets.isEmpty()
                ? Map.of() : Map.copyOf(new EnumMap<>(targets));
    }

    /** {@code VirtualMachine payments/db}: how logs and messages name the workload. */
    public String displayName() {
        return kind + " " + (namespace == null || namespace.isEmpty() ? "" : namespace + "/") + name;
    }

    /** Identity across plan updates: kind, namespace and name. */
    public String key() {
        return kind + "/" + namespace + "/" + name;
    }
}
