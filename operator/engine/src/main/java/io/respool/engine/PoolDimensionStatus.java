package io.respool.engine;

/**
 * One pool's figures in one dimension, base units; {@link Quantities#UNLIMITED} for no limit.
 *
 * @param reservation     its own reservation as declared
 * @param limit           its own limit as declared
 * @param effectiveLimit  min of its limit and every ancestor's
 * @param shares          its shares as a number (presets resolved)
 * @param effectiveShares shares among its siblings (differs under a parent with scalable shares)
 * @param expandable      expandable reservation
 * @param used            reserved by admitted workloads and child pools (section 4)
 * @param available       what a new workload in this pool could still reserve (section 4)
 * @param entitlement     what the pool should get now (section 6)
 * @param health          Valid, Overcommitted or Invalid
 */
public record PoolDimensionStatus(long reservation, long limit, long effectiveLimit, long shares,
                                  long effectiveShares, boolean expandable, long used, long available,
                                  long entitlement, Health health) {
}
