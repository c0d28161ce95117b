package io.respool.agent;

import io.respool.engine.CgroupRenderer;
import io.respool.engine.Dimension;
import io.respool.engine.Quantities;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One workload of a node's plan, as the agent needs it: who it is, which pod's cgroup gets the
 * values, and its canonical targets per dimension (engine base units).
 *
 * @param kind           VirtualMachine or Container
 * @param namespace      the workload's namespace
 * @param name           the workload's name
 * @param pool           the pool it belongs to (null: root), for logs only
 * @param podUid         UID of the pod whose cgroup is configured (a VM's virt-launcher pod); null
 *                       while the operator has not seen the pod yet
 * @param targets        targets per dimension, as the engine computed them; a dimension absent here
 *                       is left alone
 * @param memoryOverhead bytes the pod needs besides the workload's own memory: for a VM, KubeVirt's
 *                       virt-launcher overhead (QEMU, libvirt, page tables) from the plan; 0 for a
 *                       Container. Added to the memory cap only ({@link #podCgroupTargets()})
 */
public record WorkloadTargets(String kind, String namespace, String name, String pool, String podUid,
                              Map<Dimension, CgroupRenderer.Target> targets, long memoryOverhead) {

    public WorkloadTargets {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        targets = targets == null || targets.isEmpty()
                ? Map.of() : Map.copyOf(new EnumMap<>(targets));
        if (memoryOverhead < 0) {
            throw new IllegalArgumentException("memoryOverhead < 0: " + memoryOverhead);
        }
    }

    /** A workload whose pod holds nothing but the workload (a Container). */
    public WorkloadTargets(String kind, String namespace, String name, String pool, String podUid,
                           Map<Dimension, CgroupRenderer.Target> targets) {
        this(kind, namespace, name, pool, podUid, targets, 0);
    }

    /**
     * The targets to render for the pod's cgroup: {@link #targets()}, with the memory cap raised by
     * {@link #memoryOverhead()}. A VM's cap applies to its guest memory, as in vSphere; the
     * virt-launcher pod also holds QEMU, libvirt and the page tables, so without the overhead a VM
     * using all the memory it may use would be OOM-killed at the pod level. The reservation
     * (memory.min, soft limit) is not raised: it protects what the engine reserved on the node, and
     * the overhead is booked by neither respool nor kube-scheduler (the pod requests the
     * reservation), so protecting it would take memory the node never set aside. An unlimited cap
     * stays unlimited.
     */
    public Map<Dimension, CgroupRenderer.Target> podCgroupTargets() {
        CgroupRenderer.Target memory = targets.get(Dimension.MEMORY);
        if (memoryOverhead == 0 || memory == null || memory.cap() == Quantities.UNLIMITED) {
            return targets;
        }
        long cap = memory.cap() >= Quantities.UNLIMITED - memoryOverhead
                ? Quantities.UNLIMITED : memory.cap() + memoryOverhead;
        Map<Dimension, CgroupRenderer.Target> raised = new EnumMap<>(targets);
        raised.put(Dimension.MEMORY, new CgroupRenderer.Target(memory.weight(), memory.floor(), cap, memory.shares()));
        return raised;
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
