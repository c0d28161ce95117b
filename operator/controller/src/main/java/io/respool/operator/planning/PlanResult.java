package io.respool.operator.planning;

import io.respool.engine.Dimension;
import io.respool.engine.Plan;
import io.respool.engine.PoolStatus;
import io.respool.engine.WorkloadStatus;
import io.respool.operator.cluster.WorkloadRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One engine run over the whole cluster, as the reconcilers read it. Immutable. Each view holds
 * what its object's reconciler needs, and equal views mean there is nothing new to write: the
 * planner triggers a reconcile exactly for the objects whose view changed.
 *
 * @param sequence  1 for the first run of this process, then counting up
 * @param took      how long the run took, snapshot to views
 */
public record PlanResult(long sequence, Duration took, boolean kubeVirtInstalled, Plan plan,
                         Map<String, WorkloadView> workloads, Map<String, PoolView> pools,
                         Map<String, NodeView> nodes) {

    public PlanResult {
        workloads = Map.copyOf(workloads);
        pools = Map.copyOf(pools);
        nodes = Map.copyOf(nodes);
    }

    public WorkloadView workload(WorkloadRef ref) {
        return workloads.get(ref.key());
    }

    public PoolView pool(String name) {
        return pools.get(name);
    }

    public NodeView node(String name) {
        return nodes.get(name);
    }

    /**
     * A workload's part of the plan.
     *
     * @param generation the metadata.generation the run saw; a reconciler holding a newer object
     *                   waits for the next run
     * @param status     the engine's verdict, or null when the operator kept the workload out of
     *                   the engine (see {@code refusal})
     * @param refusal    why the workload is not in the engine's input (invalid spec, its pool is
     *                   being deleted), or null
     * @param kubeVirtInstalled for VMs: whether KubeVirt was installed at this run
     */
    public record WorkloadView(WorkloadRef ref, String uid, long generation, WorkloadStatus status,
                               Refusal refusal, boolean kubeVirtInstalled) {
    }

    /** Why a workload was kept out of the engine: a condition reason and a message for the user. */
    public record Refusal(String reason, String message) {
    }

    /**
     * A pool's part of the plan.
     *
     * @param status     the engine's verdict, or null when the pool's spec could not be read
     * @param errors     what is wrong with its spec (each names the field and the value)
     * @param deleting   it has a deletionTimestamp
     * @param childPools names of pools naming it as parent
     * @param workloads  workloads naming it as their pool, e.g. {@code Container "ns/web"}
     */
    public record PoolView(String name, String uid, long generation, PoolStatus status, List<String> errors,
                           boolean deleting, List<String> childPools, List<String> workloads) {

        public PoolView {
            errors = List.copyOf(errors);
            childPools = List.copyOf(childPools);
            workloads = List.copyOf(workloads);
        }

        public boolean empty() {
            return childPools.isEmpty() && workloads.isEmpty();
        }
    }

    /** What the NodeResourcePlan of one node must say: each workload placed there, in admission order. */
    public record NodeView(String name, String uid, List<PlannedEntry> workloads) {

        public NodeView {
            workloads = List.copyOf(workloads);
        }
    }

    /**
     * One workload on a node: its pod (null until it exists) and its targets per dimension in play.
     *
     * @param memoryOverhead a VM's virt-launcher memory overhead in bytes, which the agent adds to
     *                       the memory cap on the pod's cgroup; 0 for a Container
     */
    public record PlannedEntry(WorkloadRef ref, String pool, String podUid, Map<Dimension, Target> targets,
                               long memoryOverhead) {

        public PlannedEntry {
            targets = Map.copyOf(targets);
        }
    }

    /**
     * Canonical targets, base units: weight = the node target (entitlement fitted to the node),
     * floor = reservation, cap = the workload's cap (null: unlimited), shares = resolved shares.
     */
    public record Target(long weight, long floor, Long cap, long shares) {
    }
}
