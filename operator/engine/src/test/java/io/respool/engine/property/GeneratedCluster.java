package io.respool.engine.property;

import io.respool.engine.Allocation;
import io.respool.engine.ClusterSpec;
import io.respool.engine.Dimension;
import io.respool.engine.NodeSpec;
import io.respool.engine.PoolSpec;
import io.respool.engine.Quantities;
import io.respool.engine.WorkloadSpec;
import java.util.List;
import java.util.Map;

/**
 * A generated cluster and the dimensions its objects may set. Its {@link #toString()} is a compact
 * listing, so that a shrunk counterexample printed by jqwik can be read (and turned into a unit
 * test or a {@code plan} manifest) by a person.
 */
record GeneratedCluster(ClusterSpec spec, List<Dimension> dims) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("\n");
        sb.append("dims ").append(dims.stream().map(Dimension::jsonName).toList()).append('\n');
        for (NodeSpec n : spec.nodes()) {
            sb.append("node ").append(n.name()).append(n.ready() ? "" : " NOT-READY")
                    .append(n.schedulable() ? "" : " CORDONED").append(' ').append(n.labels())
                    .append(" alloc=").append(n.allocatable());
            if (!n.otherRequests().isEmpty()) {
                sb.append(" other=").append(n.otherRequests());
            }
            sb.append('\n');
        }
        for (PoolSpec p : spec.pools()) {
            sb.append("pool ").append(p.name()).append(" parent=").append(p.parent() == null ? "root" : p.parent())
                    .append(" order=").append(p.order());
            if (p.scalableShares()) {
                sb.append(" scalable");
            }
            if (!p.nodeSelector().isEmpty()) {
                sb.append(" nodeSel=").append(p.nodeSelector());
            }
            if (!p.namespaceSelector().isEmpty()) {
                sb.append(" nsSel=").append(p.namespaceSelector());
            }
            appendAllocations(sb, p.allocations(), true);
            sb.append('\n');
        }
        for (WorkloadSpec w : spec.workloads()) {
            sb.append(w.kind() == io.respool.engine.WorkloadKind.VIRTUAL_MACHINE ? "vm " : "ct ")
                    .append(w.namespace()).append('/').append(w.name())
                    .append(" pool=").append(w.pool() == null ? "root" : w.pool())
                    .append(" order=").append(w.order());
            if (w.kind() == io.respool.engine.WorkloadKind.VIRTUAL_MACHINE) {
                sb.append(" vcpus=").append(w.vcpus()).append(" mem=").append(w.memorySize());
            }
            if (!w.running()) {
                sb.append(" STOPPED");
            }
            if (w.admitted()) {
                sb.append(" ADMITTED@").append(w.node());
            }
            if (!w.nodeSelector().isEmpty()) {
                sb.append(" nodeSel=").append(w.nodeSelector());
            }
            appendAllocations(sb, w.allocations(), false);
            if (!w.demand().isEmpty()) {
                sb.append(" demand=").append(w.demand());
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void appendAllocations(StringBuilder sb, Map<Dimension, Allocation> allocations,
                                          boolean pool) {
        allocations.forEach((d, a) -> {
            sb.append(' ').append(d.jsonName()).append("{r=").append(a.reservation())
                    .append(",l=").append(a.limit() == Quantities.UNLIMITED ? "∞" : Long.toString(a.limit()))
                    .append(",s=").append(a.shares());
            if (pool && !a.expandable()) {
                sb.append(",fixed");
            }
            sb.append('}');
        });
    }
}
