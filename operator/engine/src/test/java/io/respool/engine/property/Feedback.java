package io.respool.engine.property;

import io.respool.engine.ClusterSpec;
import io.respool.engine.Plan;
import io.respool.engine.WorkloadSpec;
import io.respool.engine.WorkloadStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the operator does between two runs: it feeds each admission and placement back as input. */
final class Feedback {

    private Feedback() {
    }

    static WorkloadSpec admittedOn(WorkloadSpec w, String node) {
        return new WorkloadSpec(w.kind(), w.namespace(), w.name(), w.pool(), w.vcpus(), w.memorySize(),
                w.allocations(), w.demand(), w.nodeSelector(), w.running(), true, node, w.order());
    }

    /**
     * The same cluster with every workload the plan admitted marked {@code admitted=true} on its
     * node, and {@code newcomers} put in front of the list (their order fields decide admission).
     */
    static ClusterSpec withAdmissions(ClusterSpec spec, Plan plan, List<WorkloadSpec> newcomers) {
        Map<String, WorkloadStatus> byKey = new HashMap<>();
        for (WorkloadStatus s : plan.workloads()) {
            byKey.put(s.key(), s);
        }
        List<WorkloadSpec> workloads = new ArrayList<>(newcomers);
        for (WorkloadSpec w : spec.workloads()) {
            WorkloadStatus s = byKey.get(w.key());
            workloads.add(s != null && s.admitted() ? admittedOn(w, s.node()) : w);
        }
        return new ClusterSpec(spec.pools(), workloads, spec.nodes(), spec.namespaceLabels());
    }
}
