package io.respool.agent.report;

import io.respool.engine.Dimension;

/**
 * Whether the node enforces one dimension of one workload, and if not, why.
 *
 * @param dimension the dimension
 * @param enforced  every target of the dimension is in effect
 * @param reason    CamelCase: Applied, Clamped, CgroupNotFound, PodUnknown, InvalidPodUID,
 *                  ControllerUnavailable, NoBlockDevices, WriteFailed, ProtectionUnavailable,
 *                  AncestorProtectionFailed, WeightNotHonoured, NotImplemented, CgroupUnavailable
 * @param message   for people: what is (not) in effect and why
 */
public record DimensionReport(Dimension dimension, boolean enforced, String reason, String message) {
}
