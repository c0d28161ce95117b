package io.respool.engine.property;

import io.respool.engine.*;
import java.util.*;
import net.jqwik.api.*;

class ScratchIncrementalDebugTest {
    @Provide Arbitrary<GeneratedCluster> clusters() { return ClusterArbitraries.clusters(); }

    @Property(tries = 300)
    void debug(@ForAll("clusters") GeneratedCluster c, @ForAll("picks") int pick, @ForAll("picks") int units) {
        EngineState state = Engine.prepare(c.spec());
        List<WorkloadSpec> workloads = new ArrayList<>(c.spec().workloads());
        if (workloads.isEmpty()) return;
        WorkloadSpec w = workloads.get(pick % workloads.size());
        Dimension d = c.dims().get(pick % c.dims().size());
        Map<Dimension, Long> demand = new EnumMap<>(Dimension.class);
        demand.putAll(w.demand());
        demand.put(d, units * ClusterArbitraries.unit(d));
        WorkloadSpec changed = new WorkloadSpec(w.kind(), w.namespace(), w.name(), w.pool(), w.vcpus(), w.memorySize(),
                w.allocations(), demand, w.nodeSelector(), w.running(), w.admitted(), w.node(), w.order());
        workloads.set(workloads.indexOf(w), changed);
        Plan inc = state.updateWorkload(changed).plan();
        Plan full = Engine.compute(new ClusterSpec(c.spec().pools(), workloads, c.spec().nodes(), c.spec().namespaceLabels()));
        for (int i = 0; i < full.workloads().size(); i++) {
            if (!full.workloads().get(i).equals(inc.workloads().get(i))) {
                throw new AssertionError("changed " + changed.key() + " " + d + "\nfull " + full.workloads().get(i) + "\ninc  " + inc.workloads().get(i));
            }
        }
        for (int i = 0; i < full.pools().size(); i++) {
            if (!full.pools().get(i).equals(inc.pools().get(i))) {
                throw new AssertionError("changed " + changed.key() + " " + d + "\nfull " + full.pools().get(i) + "\ninc  " + inc.pools().get(i));
            }
        }
        if (!full.equals(inc)) throw new AssertionError("other: " + full.capacity() + inc.capacity() + full.dimensions() + inc.dimensions() + full.nodes().equals(inc.nodes()));
    }
    @Provide Arbitrary<Integer> picks() { return Arbitraries.integers().between(0, 1000); }
}
