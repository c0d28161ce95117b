package io.respool.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns one workload's canonical targets into cgroup file values (semantics.md section 8), the
 * same for {@code respool plan} and the node agent.
 *
 * <ul>
 *   <li>cpu weight: the node target in millicores on the kubelet's own scale (shares =
 *       millicores × 1024 / 1000), so respool pods compete fairly with the pods beside them; on
 *       v2 the weight is proportional to the shares with 1024 shares = weight 100 (systemd's
 *       mapping). It keeps the ratios the model needs (250m : 500m = 1 : 2) and gives one CPU
 *       the v2 default weight, where current runtimes' own conversion puts it too. The older
 *       linear runtime formula (1 CPU = 39) and the newer log-quadratic one (250m : 500m =
 *       35 : 59) either starve one CPU or break proportionality;</li>
 *   <li>cpu cap: quota = cap × period / 1000 with the default 100 ms period, at least 1 ms;</li>
 *   <li>memory: v2 memory.min = reservation, memory.max = cap, memory.high at 15/16 of the cap so
 *       reclaim starts before the OOM killer; v1 soft limit = reservation, hard limit = cap. For a
 *       VirtualMachine the node agent passes its cap plus KubeVirt's virt-launcher overhead (the
 *       node plan's {@code memoryOverhead}): the cap is the guest's, the pod cgroup also holds
 *       QEMU and libvirt. {@code respool plan} renders the engine's cap alone;</li>
 *   <li>disk: io.weight / blkio.weight from disk shares (normal = the kernel default 100 / 500),
 *       io.max and blkio.throttle from the disk caps, without the device prefix.</li>
 * </ul>
 */
public final class CgroupRenderer {

    public static final long CPU_PERIOD_US = 100_000;
    private static final long MIN_QUOTA_US = 1_000;
    private static final long MIN_SHARES = 2;
    private static final long MAX_SHARES = 262_144;
    private static final long PAGE = 4096;

    /**
     * One dimension's targets.
     *
     * @param weight entitlement on the node (weights are proportional to it)
     * @param floor  reservation (memory protection)
     * @param cap    hard cap, {@link Quantities#UNLIMITED} for none
     * @param shares resolved shares (disk weights)
     */
    public record Target(long weight, long floor, long cap, long shares) {
    }

    private CgroupRenderer() {
    }

    public static CgroupValues render(Map<Dimension, Target> targets) {
        Map<String, String> v2 = new LinkedHashMap<>();
        Map<String, String> v1 = new LinkedHashMap<>();
        Target cpu = targets.get(Dimension.CPU);
        if (cpu != null) {
            long shares = cpuShares(cpu.weight());
            v2.put("cpu.weight", Long.toString(cpuWeight(shares)));
            v2.put("cpu.max", (cpu.cap() == Quantities.UNLIMITED ? "max" : Long.toString(cpuQuota(cpu.cap())))
                    + " " + CPU_PERIOD_US);
            v1.put("cpu.shares", Long.toString(shares));
            v1.put("cpu.cfs_period_us", Long.toString(CPU_PERIOD_US));
            v1.put("cpu.cfs_quota_us", cpu.cap() == Quantities.UNLIMITED ? "-1" : Long.toString(cpuQuota(cpu.cap())));
        }
        Target mem = targets.get(Dimension.MEMORY);
        if (mem != null) {
            boolean capped = mem.cap() != Quantities.UNLIMITED;
            v2.put("memory.min", Long.toString(pageAligned(mem.floor())));
            v2.put("memory.high", capped ? Long.toString(pageAligned(mem.cap() - mem.cap() / 16)) : "max");
            v2.put("memory.max", capped ? Long.toString(pageAligned(mem.cap())) : "max");
            v1.put("memory.soft_limit_in_bytes", mem.floor() > 0 ? Long.toString(pageAligned(mem.floor())) : "-1");
            v1.put("memory.limit_in_bytes", capped ? Long.toString(pageAligned(mem.cap())) : "-1");
        }
        Target iops = targets.get(Dimension.DISK_IOPS);
        Target bandwidth = targets.get(Dimension.DISK_BANDWIDTH);
        if (iops != null || bandwidth != null) {
            long shares = iops != null ? iops.shares() : bandwidth.shares();
            v2.put("io.weight", "default " + clamp(shares / 10, 1, 10_000));
            v1.put("blkio.weight", Long.toString(clamp(shares / 2, 10, 1_000)));
            String riops = limitText(iops);
            String rbps = limitText(bandwidth);
            if (!riops.equals("max") || !rbps.equals("max")) {
                v2.put("io.max", "riops=" + riops + " wiops=" + riops + " rbps=" + rbps + " wbps=" + rbps);
            }
            if (!riops.equals("max")) {
                v1.put("blkio.throttle.read_iops_device", riops);
                v1.put("blkio.throttle.write_iops_device", riops);
            }
            if (!rbps.equals("max")) {
                v1.put("blkio.throttle.read_bps_device", rbps);
                v1.put("blkio.throttle.write_bps_device", rbps);
            }
        }
        return new CgroupValues(v2, v1);
    }

    /** The kubelet's scale: 1024 shares per CPU, within the kernel's 2..262144. */
    public static long cpuShares(long millicores) {
        if (millicores == Quantities.UNLIMITED) {
            return MAX_SHARES;
        }
        return clamp(millicores * 1024 / 1000, MIN_SHARES, MAX_SHARES);
    }

    /** cgroup v2 cpu.weight for v1 shares: proportional, 1024 → 100, within the kernel's 1..10000. */
    public static long cpuWeight(long shares) {
        return clamp(Math.round(shares * 100 / 1024.0), 1, 10_000);
    }

    public static long cpuQuota(long capMillicores) {
        long quota = capMillicores >= Long.MAX_VALUE / CPU_PERIOD_US ? Long.MAX_VALUE / 1000
                : capMillicores * CPU_PERIOD_US / 1000;
        return Math.max(MIN_QUOTA_US, quota);
    }

    private static long pageAligned(long bytes) {
        return bytes / PAGE * PAGE;
    }

    private static String limitText(Target t) {
        return t == null || t.cap() == Quantities.UNLIMITED ? "max" : Long.toString(Math.max(1, t.cap()));
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
