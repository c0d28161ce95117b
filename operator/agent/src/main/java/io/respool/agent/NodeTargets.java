package io.respool.agent;

import java.util.List;

/**
 * A node's plan as the agent sees it, independent of the Kubernetes resource that carries it.
 *
 * @param nodeName   the node
 * @param generation the plan's metadata.generation (reported back as observedGeneration)
 * @param workloads  the workloads placed on the node
 */
public record NodeTargets(String nodeName, long generation, List<WorkloadTargets> workloads) {

    public static NodeTargets empty(String nodeName) {
        return new NodeTargets(nodeName, 0, List.of());
    }

    public NodeTargets {
        workloads = List.copyOf(workloads);
    }
}
