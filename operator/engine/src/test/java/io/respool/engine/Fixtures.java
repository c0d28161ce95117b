package io.respool.engine;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Small builders for engine inputs in tests: quantities as users write them. */
final class Fixtures {

    private final List<PoolSpec> pools = new ArrayList<>();
    private final List<WorkloadSpec> workloads = new ArrayList<>();
    private final List<NodeSpec> nodes = new ArrayList<>();
    private final Map<String, Map<String, String>> namespaces = new HashMap<>();
    private long order;

    static Allocation alloc(Dimension d, String reservation, String limit, String shares) {
        return new Allocation(reservation == null ? 0 : Quantities.parse(d, reservation),
                limit == null ? Quantities.UNLIMITED : Quantities.parse(d, limit),
                shares == null ? Shares.NORMAL : Shares.parse(shares), true);
    }

    Fixtures node(String name, String cpu, String memory, Map<String, String> labels) {
        Map<Dimension, Long> alloc = new EnumMap<>(Dimension.class);
        alloc.put(Dimension.CPU, Quantities.parse(Dimension.CPU, cpu));
        alloc.put(Dimension.MEMORY, Quantities.parse(Dimension.MEMORY, memory));
        nodes.add(new NodeSpec(name, labels, true, true, alloc, Map.of()));
        return this;
    }

    Fixtures kubevirtNode(String name, String cpu, String memory) {
        return node(name, cpu, memory, Map.of(NodeSpec.KUBEVIRT_LABEL, "true"));
    }

    Fixtures node(NodeSpec n) {
        nodes.add(n);
        return this;
    }

    Fixtures namespace(String name, Map<String, String> labels) {
        namespaces.put(name, labels);
        return this;
    }

    Fixtures pool(String name, String parent, Map<Dimension, Allocation> allocations) {
        return pool(name, parent, allocations, false, null);
    }

    Fixtures pool(String name, String parent, Map<Dimension, Allocation> allocations, boolean scalable,
                  LabelSelector namespaceSelector) {
        pools.add(new PoolSpec(name, parent, allocations, scalable, Map.of(), namespaceSelector, order++));
        return this;
    }

    Fixtures vm(String namespace, String name, String pool, int vcpus, String memory,
                Map<Dimension, Allocation> allocations) {
        return vm(namespace, name, pool, vcpus, memory, allocations, Map.of());
    }

    Fixtures vm(String namespace, String name, String pool, int vcpus, String memory,
                Map<Dimension, Allocation> allocations, Map<Dimension, Long> demand) {
        workloads.add(new WorkloadSpec(WorkloadKind.VIRTUAL_MACHINE, namespace, name, pool, vcpus,
                Quantities.parse(Dimension.MEMORY, memory), allocations, demand, Map.of(), true, false, null, order++));
        return this;
    }

    Fixtures container(String namespace, String name, String pool, Map<Dimension, Allocation> allocations) {
        return container(namespace, name, pool, allocations, Map.of());
    }

    Fixtures container(String namespace, String name, String pool, Map<Dimension, Allocation> allocations,
                       Map<Dimension, Long> demand) {
        workloads.add(new WorkloadSpec(WorkloadKind.CONTAINER, namespace, name, pool, 0, 0, allocations, demand,
                Map.of(), true, false, null, order++));
        return this;
    }

    Fixtures workload(WorkloadSpec w) {
        workloads.add(w);
        return this;
    }

    ClusterSpec spec() {
        return new ClusterSpec(pools, workloads, nodes, namespaces);
    }

    Plan plan() {
        return Engine.compute(spec());
    }

    static WorkloadStatus workload(Plan plan, String name) {
        return plan.workloads().stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
    }

    static PoolStatus pool(Plan plan, String name) {
        return plan.pools().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    static long cpu(String q) {
        return Quantities.parse(Dimension.CPU, q);
    }

    static long mem(String q) {
        return Quantities.parse(Dimension.MEMORY, q);
    }
}
