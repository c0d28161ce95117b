package io.respool.agent.measure;

import io.respool.agent.cgroup.PodCgroup;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Samples pod cgroups on every pass and turns consecutive samples into usage rates and demand
 * estimates, per workload.
 */
public final class UsageMeter {

    /** A workload's usage (null until two samples exist) and demand. */
    public record Measurement(Usage usage, Demand demand) {
    }

    private record State(String podUid, CgroupSample last, DemandEstimator demand) {
    }

    private final CgroupSampleReader reader;
    private final double tauSeconds;
    private final Map<String, State> states = new HashMap<>();

    public UsageMeter(CgroupSampleReader reader, double tauSeconds) {
        this.reader = reader;
        this.tauSeconds = tauSeconds;
    }

    /** Takes a sample of the workload's pod; a new pod UID for the same key starts afresh. */
    public Measurement measure(String key, PodCgroup pod) {
        CgroupSample now = reader.read(pod);
        State s = states.get(key);
        if (s == null || !s.podUid().equals(pod.podUid())) {
            s = new State(pod.podUid(), null, new DemandEstimator(tauSeconds));
        }
        Demand demand = s.demand().update(s.last(), now);
        Usage usage = s.last() == null ? null : usage(s.last(), now);
        states.put(key, new State(pod.podUid(), now, s.demand()));
        return new Measurement(usage, demand);
    }

    /** Forgets workloads no longer measured. */
    public void retain(Set<String> keys) {
        states.keySet().retainAll(keys);
    }

    static Usage usage(CgroupSample a, CgroupSample b) {
        double dt = (b.atNanos() - a.atNanos()) / 1e9;
        if (dt <= 0) {
            return null;
        }
        long cpu = a.cpuUsageNanos() == null || b.cpuUsageNanos() == null ? 0
                : Math.round(Math.max(0, b.cpuUsageNanos() - a.cpuUsageNanos()) / dt / 1e6);
        long throttled = a.cpuThrottled() == null || b.cpuThrottled() == null ? 0
                : Math.max(0, b.cpuThrottled() - a.cpuThrottled());
        long mem = b.memoryBytes() == null ? 0 : b.memoryBytes();
        long ws = b.workingSetBytes() == null ? 0 : b.workingSetBytes();
        return new Usage(cpu, throttled, mem, ws, rate(a.ioReadBytes(), b.ioReadBytes(), dt),
                rate(a.ioWriteBytes(), b.ioWriteBytes(), dt));
    }

    private static long rate(Long a, Long b, double dt) {
        return a == null || b == null ? 0 : Math.round(Math.max(0, b - a) / dt);
    }
}
