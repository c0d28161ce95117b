package io.respool.engine;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The result of one engine run: pools in tree order (parents before children, siblings in
 * input order), workloads in input order, nodes by name.
 *
 * @param dimensions the dimensions in play: cpu and memory always, others when any input sets them
 * @param capacity   the root pool's capacity per dimension ({@link Quantities#UNLIMITED} if no node
 *                   declares that dimension)
 * @param root       the root pool's figures per dimension in play: reservation and limit are the
 *                   capacity, used what the top-level pools and the root's own workloads reserve,
 *                   available and entitlement as for any pool; Overcommitted when more is reserved
 *                   than the nodes hold (after losing a node); no shares
 */
public record Plan(Set<Dimension> dimensions, Map<Dimension, Long> capacity, Map<Dimension, PoolDimensionStatus> root,
                   List<PoolStatus> pools, List<WorkloadStatus> workloads, List<NodePlan> nodes) {
}
