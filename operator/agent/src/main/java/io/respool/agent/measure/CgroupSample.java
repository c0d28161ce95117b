package io.respool.agent.measure;

/**
 * Cumulative counters and current levels read from one pod cgroup at one moment. Any field is
 * null when the kernel does not provide it (controller missing, file absent).
 *
 * @param atNanos           monotonic time of the reading
 * @param cpuUsageNanos     cpu time consumed (v2 cpu.stat usage_usec, v1 cpuacct.usage)
 * @param cpuPeriods        CFS enforcement periods elapsed (nr_periods)
 * @param cpuThrottled      periods in which the cgroup was throttled (nr_throttled)
 * @param cpuThrottledNanos time the cgroup's run queues spent throttled, summed over cpus
 * @param cpuStallMicros    v2 only: cpu.pressure "some" total, time with a runnable task waiting
 * @param runDelayNanos     time the pod's threads spent ready to run but waiting for a cpu (throttled
 *                          or outcompeted), summed over threads, from /proc/&lt;tid&gt;/schedstat
 * @param memoryBytes       memory charged (memory.current / memory.usage_in_bytes)
 * @param inactiveFileBytes inactive page cache (reclaimable first), for the working set
 * @param memoryLimitHits   times the cgroup hit its cap (v2 memory.events max, v1 memory.failcnt)
 * @param ioReadBytes       bytes read from block devices
 * @param ioWriteBytes      bytes written to block devices
 */
public record CgroupSample(long atNanos, Long cpuUsageNanos, Long cpuPeriods, Long cpuThrottled,
                           Long cpuThrottledNanos, Long cpuStallMicros, Long runDelayNanos, Long memoryBytes,
                           Long inactiveFileBytes, Long memoryLimitHits, Long ioReadBytes, Long ioWriteBytes) {

    /** Memory charged minus inactive file cache, as the kubelet computes the working set. */
    public Long workingSetBytes() {
        if (memoryBytes == null) {
            return null;
        }
        long inactive = inactiveFileBytes == null ? 0 : inactiveFileBytes;
        return Math.max(0, memoryBytes - inactive);
    }
}
