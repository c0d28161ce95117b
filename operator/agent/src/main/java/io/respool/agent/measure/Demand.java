package io.respool.agent.measure;

/**
 * What a pod would use if nothing held it back, smoothed; null when not known yet.
 *
 * @param cpuMillicores millicores
 * @param memoryBytes   bytes
 */
public record Demand(Long cpuMillicores, Long memoryBytes) {

    public static final Demand UNKNOWN = new Demand(null, null);
}
