package io.respool.engine;

import java.util.EnumMap;
import java.util.Map;

/**
 * A VirtualMachine or Container as the engine sees it.
 *
 * @param kind         VM or container
 * @param namespace    its namespace
 * @param name         its name
 * @param pool         the pool it names, or null for the root pool
 * @param vcpus        VM: number of vCPUs (its cpu size); ignored for containers
 * @param memorySize   VM: guest memory in bytes (its memory size); ignored for containers
 * @param allocations  per-dimension reservation, limit and shares ({@code expandable} is ignored)
 * @param demand       measured demand per dimension, as reported by the node agent (absent: none)
 * @param nodeSelector node labels it must run on
 * @param running      false when its runStrategy keeps it stopped: a stopped workload holds no
 *                     reservation (vSphere admits at power-on)
 * @param admitted     it was admitted before: it stays admitted, whatever came after it
 * @param node         the node it was placed on before, or null
 * @param order        admission order (creation time, then name; document order in {@code plan})
 */
public record WorkloadSpec(WorkloadKind kind, String namespace, String name, String pool,
                           int vcpus, long memorySize, Map<Dimension, Allocation> allocations,
                           Map<Dimension, Long> demand, Map<String, String> nodeSelector,
                           boolean running, boolean admitted, String node, long order) {

    public WorkloadSpec {
        allocations = allocations == null || allocations.isEmpty()
                ? new EnumMap<>(Dimension.class) : new EnumMap<>(allocations);
        demand = demand == null || demand.isEmpty()
                ? new EnumMap<>(Dimension.class) : new EnumMap<>(demand);
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
    }

    /** Allocation as given by the user; VM limit defaults are applied by the engine, not here. */
    public Allocation allocation(Dimension d) {
        return allocations.getOrDefault(d, Allocation.DEFAULT);
    }

    /** "VirtualMachine payments/db": how messages name a workload. */
    public String displayName() {
        return kind.kindName() + " \"" + (namespace == null || namespace.isEmpty() ? "" : namespace + "/")
                + name + "\"";
    }

    public String key() {
        return kind.kindName() + "/" + namespace + "/" + name;
    }
}
