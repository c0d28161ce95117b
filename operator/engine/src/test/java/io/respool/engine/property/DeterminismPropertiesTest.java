package io.respool.engine.property;

import io.respool.engine.ClusterSpec;
import io.respool.engine.Engine;
import io.respool.engine.NodePlan;
import io.respool.engine.NodeSpec;
import io.respool.engine.Plan;
import io.respool.engine.PoolSpec;
import io.respool.engine.PoolStatus;
import io.respool.engine.WorkloadSpec;
import io.respool.engine.WorkloadStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Section 6.4 and 7: determinism. */
class DeterminismPropertiesTest {

    @Provide
    Arbitrary<GeneratedCluster> clusters() {
        return ClusterArbitraries.clusters();
    }

    /** Same input, same output: two runs (the second on fresh copies of the lists) give equal plans. */
    @Property(tries = 1000)
    void sameInputGivesTheSamePlan(@ForAll("clusters") GeneratedCluster c) {
        ClusterSpec spec = c.spec();
        Plan a = Engine.compute(spec);
        Plan b = Engine.compute(new ClusterSpec(new ArrayList<>(spec.pools()), new ArrayList<>(spec.workloads()),
                new ArrayList<>(spec.nodes()), spec.namespaceLabels()));
        if (!a.equals(b)) {
            throw new AssertionError("two runs on the same input differ:\n" + a + "\n" + b);
        }
    }

    /**
     * The order of the input lists carries no meaning (admission order is the {@code order}
     * field; placement ties break by node name): shuffled pools, workloads and nodes give the
     * same result per pool, workload and node. Output lists follow input order, so the plans are
     * compared keyed by name.
     */
    @Property(tries = 1000)
    void inputListOrderDoesNotMatter(@ForAll("clusters") GeneratedCluster c, @ForAll Random random) {
        ClusterSpec spec = c.spec();
        List<PoolSpec> pools = new ArrayList<>(spec.pools());
        List<WorkloadSpec> workloads = new ArrayList<>(spec.workloads());
        List<NodeSpec> nodes = new ArrayList<>(spec.nodes());
        Collections.shuffle(pools, random);
        Collections.shuffle(workloads, random);
        Collections.shuffle(nodes, random);
        Plan a = Engine.compute(spec);
        Plan b = Engine.compute(new ClusterSpec(pools, workloads, nodes, spec.namespaceLabels()));
        if (!a.dimensions().equals(b.dimensions()) || !a.capacity().equals(b.capacity())) {
            throw new AssertionError("dimensions or capacity differ: " + a.capacity() + " vs " + b.capacity());
        }
        same("pool", byName(a.pools()), byName(b.pools()));
        same("workload", byKey(a.workloads()), byKey(b.workloads()));
        same("node", nodes(a.nodes()), nodes(b.nodes()));
    }

    static Map<String, PoolStatus> byName(List<PoolStatus> pools) {
        Map<String, PoolStatus> m = new TreeMap<>();
        pools.forEach(p -> m.put(p.name(), p));
        return m;
    }

    static Map<String, WorkloadStatus> byKey(List<WorkloadStatus> workloads) {
        Map<String, WorkloadStatus> m = new TreeMap<>();
        workloads.forEach(w -> m.put(w.key(), w));
        return m;
    }

    /** Node plans keyed by name, their workload lists sorted (their order is not part of the contract). */
    static Map<String, NodePlan> nodes(List<NodePlan> nodes) {
        Map<String, NodePlan> m = new TreeMap<>();
        nodes.forEach(n -> m.put(n.name(), new NodePlan(n.name(), n.free(), n.reserved(),
                n.workloads().stream().sorted().toList())));
        return m;
    }

    static <T> void same(String what, Map<String, T> a, Map<String, T> b) {
        if (!a.keySet().equals(b.keySet())) {
            throw new AssertionError(what + "s differ: " + a.keySet() + " vs " + b.keySet());
        }
        for (String k : a.keySet()) {
            if (!a.get(k).equals(b.get(k))) {
                throw new AssertionError(what + " " + k + " differs after shuffling the input lists:\n "
                        + a.get(k) + "\n " + b.get(k));
            }
        }
    }
}
