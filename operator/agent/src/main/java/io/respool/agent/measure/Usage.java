package io.respool.agent.measure;

/**
 * What a pod used over the last measurement interval (rates) and holds now (levels).
 *
 * @param cpuMillicores         cpu used, millicores
 * @param cpuThrottledPeriods   CFS periods in which the cap throttled it during the interval
 * @param memoryBytes           memory charged now
 * @param memoryWorkingSetBytes memory charged minus inactive file cache
 * @param ioReadBytesPerSecond  block-device reads
 * @param ioWriteBytesPerSecond block-device writes
 */
public record Usage(long cpuMillicores, long cpuThrottledPeriods, long memoryBytes, long memoryWorkingSetBytes,
                    long ioReadBytesPerSecond, long ioWriteBytesPerSecond) {
}
