package io.respool.agent.measure;

/**
 * Turns one interval's measurements into a demand estimate, smoothed over time (one instance per
 * workload).
 *
 * <p><b>cpu.</b> A cgroup that is not held back demands what it uses. When its cap throttles it,
 * each throttled run queue had at least one task ready to run, so the demand is at least
 * usage + throttled time (both as cpu rates): a single busy thread capped at 0.5 cpu uses 500m
 * and is throttled half the time, so its estimate is the full 1000m. On v2, cpu.pressure's
 * "some" stall time says the same for waits caused by contention with other cgroups (shares);
 * and so does each thread's run delay (time ready to run but not running, which includes time
 * throttled) on both versions: a thread that waited half the time wanted another half cpu. These
 * overlap, so the largest is added, not their sum.
 *
 * <p><b>memory.</b> The working set (charged minus inactive file cache). When the cgroup hit its
 * cap during the interval, reclaim at the cap hides how much more it wants: the estimate is then
 * raised by an eighth.
 *
 * <p><b>smoothing.</b> Exponentially weighted with time constant τ: a step in demand shows
 * 63% after τ. Memory increases are taken at once (being late costs an OOM kill), decreases decay.
 */
public final class DemandEstimator {

    private final double tauSeconds;
    private Double cpu;
    private Double memory;

    public DemandEstimator(double tauSeconds) {
        this.tauSeconds = tauSeconds;
    }

    /**
     * @param previous  the sample before (null on the first call: only memory is estimated)
     * @param current   the new sample
     */
    public Demand update(CgroupSample previous, CgroupSample current) {
        Long memoryRaw = memoryRaw(previous, current);
        Double cpuRaw = previous == null ? null : cpuRaw(previous, current);
        double dt = previous == null ? 0 : (current.atNanos() - previous.atNanos()) / 1e9;
        double alpha = dt <= 0 || tauSeconds <= 0 ? 1 : 1 - Math.exp(-dt / tauSeconds);
        if (cpuRaw != null) {
            cpu = cpu == null ? cpuRaw : cpu + alpha * (cpuRaw - cpu);
        }
        if (memoryRaw != null) {
            memory = memory == null || memoryRaw > memory ? memoryRaw : memory + alpha * (memoryRaw - memory);
        }
        return new Demand(cpu == null ? null : Math.round(cpu), memory == null ? null : Math.round(memory));
    }

    /** Raw cpu demand over the interval, millicores; null when usage is not measurable. */
    static Double cpuRaw(CgroupSample a, CgroupSample b) {
        double dt = b.atNanos() - a.atNanos();
        if (dt <= 0 || a.cpuUsageNanos() == null || b.cpuUsageNanos() == null) {
            return null;
        }
        double usage = Math.max(0, b.cpuUsageNanos() - a.cpuUsageNanos()) / dt * 1000;
        double throttled = 0;
        if (a.cpuThrottledNanos() != null && b.cpuThrottledNanos() != null) {
            throttled = Math.max(0, b.cpuThrottledNanos() - a.cpuThrottledNanos()) / dt * 1000;
        }
        double stalled = 0;
        if (a.cpuStallMicros() != null && b.cpuStallMicros() != null) {
            stalled = Math.max(0, b.cpuStallMicros() - a.cpuStallMicros()) * 1000 / dt * 1000;
        }
        double waited = 0;
        if (a.runDelayNanos() != null && b.runDelayNanos() != null) {
            waited = Math.max(0, b.runDelayNanos() - a.runDelayNanos()) / dt * 1000;
        }
        return usage + Math.max(throttled, Math.max(stalled, waited));
    }

    static Long memoryRaw(CgroupSample a, CgroupSample b) {
        Long ws = b.workingSetBytes();
        if (ws == null) {
            return null;
        }
        boolean hitCap = a != null && a.memoryLimitHits() != null && b.memoryLimitHits() != null
                && b.memoryLimitHits() > a.memoryLimitHits();
        return hitCap ? ws + ws / 8 : ws;
    }
}
