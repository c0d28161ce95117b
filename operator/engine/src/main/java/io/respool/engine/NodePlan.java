package io.respool.engine;

import java.util.List;
import java.util.Map;

/**
 * One node after placement.
 *
 * @param free      allocatable minus other pods' requests, per node-local dimension it declares
 * @param reserved  reservations of the respool workloads placed here
 * @param workloads keys ({@link WorkloadStatus#key()}) of the workloads placed here, in order
 */
public record NodePlan(String name, Map<Dimension, Long> free, Map<Dimension, Long> reserved,
                       List<String> workloads) {
}
