package io.respool.engine;

/**
 * One workload's figures in one dimension, base units; {@link Quantities#UNLIMITED} for none.
 *
 * @param reservation    its reservation (the floor on its node)
 * @param limit          its own limit, with the VM defaults applied (vCPUs, memory size)
 * @param effectiveLimit min of its limit and every ancestor pool's limit
 * @param shares         its shares as a number (presets resolved by size)
 * @param demand         measured demand if reported, else its size
 * @param entitlement    what it should get now, cluster-wide (section 6)
 * @param cap            the hard cap enforcing its own and its pools' limits collectively (section 5)
 * @param nodeTarget     entitlement after fitting its node's capacity: the basis of cgroup weights
 */
public record WorkloadDimensionStatus(long reservation, long limit, long effectiveLimit, long shares,
                                      long demand, long entitlement, long cap, long nodeTarget) {

    /** The canonical targets the node agent enforces: weight, floor, cap, shares. */
    public CgroupRenderer.Target target() {
        return new CgroupRenderer.Target(nodeTarget, reservation, cap, shares);
    }
}
