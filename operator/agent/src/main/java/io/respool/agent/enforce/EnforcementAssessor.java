package io.respool.agent.enforce;

import io.respool.agent.WorkloadTargets;
import io.respool.agent.cgroup.BlockDevice;
import io.respool.agent.cgroup.CgroupLayout;
import io.respool.agent.cgroup.CgroupVersion;
import io.respool.agent.cgroup.FileOutcome;
import io.respool.agent.report.DimensionReport;
import io.respool.engine.CgroupRenderer;
import io.respool.engine.Dimension;
import io.respool.engine.Quantities;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides, per dimension of a workload, whether the node enforces it, from what the writer did
 * and what the node can do. Nothing is reported enforced that is not: missing controllers, failed
 * writes, v1's lack of memory protection, I/O weights without a scheduler that honours them and
 * network shaping (not done by the agent) all say so.
 */
public final class EnforcementAssessor {

    private final CgroupLayout layout;
    private final List<BlockDevice> devices;
    private final Set<String> iocostDevices;

    public EnforcementAssessor(CgroupLayout layout, List<BlockDevice> devices) {
        this.layout = layout;
        this.devices = List.copyOf(devices);
        this.iocostDevices = layout.version() == CgroupVersion.V2 ? iocostEnabled(layout.root()) : Set.of();
    }

    /** For a workload whose pod cgroup was found and written. */
    public List<DimensionReport> assess(WorkloadTargets w, List<FileOutcome> outcomes, List<FileOutcome> ancestors) {
        List<DimensionReport> out = new ArrayList<>();
        for (Dimension d : Dimension.values()) {
            CgroupRenderer.Target t = w.targets().get(d);
            if (t != null) {
                out.add(assess(d, t, outcomes, ancestors));
            }
        }
        return out;
    }

    /** For a workload that could not be written at all: the same reason for every dimension. */
    public static List<DimensionReport> none(WorkloadTargets w, String reason, String message) {
        List<DimensionReport> out = new ArrayList<>();
        for (Dimension d : Dimension.values()) {
            if (w.targets().containsKey(d)) {
                out.add(network(d) ? notImplemented(d) : new DimensionReport(d, false, reason, message));
            }
        }
        return out;
    }

    private DimensionReport assess(Dimension d, CgroupRenderer.Target t, List<FileOutcome> outcomes,
                                   List<FileOutcome> ancestors) {
        if (network(d)) {
            return notImplemented(d);
        }
        List<FileOutcome> mine = outcomes.stream().filter(o -> belongs(d, o.file())).toList();
        List<String> failed = details(mine, FileOutcome.Status.FAILED);
        if (!failed.isEmpty()) {
            return new DimensionReport(d, false, "WriteFailed", String.join("; ", failed));
        }
        List<String> missing = details(mine, FileOutcome.Status.MISSING);
        if (!missing.isEmpty()) {
            boolean noDevices = devices.isEmpty() && disk(d);
            return new DimensionReport(d, false, noDevices ? "NoBlockDevices" : "ControllerUnavailable",
                    String.join("; ", missing));
        }
        if (d == Dimension.MEMORY && t.floor() > 0) {
            if (layout.version() == CgroupVersion.V1) {
                return new DimensionReport(d, false, "ProtectionUnavailable", "cgroup v1 has no memory.min: the cap"
                        + " is enforced (memory.limit_in_bytes) but the reservation only as"
                        + " memory.soft_limit_in_bytes, which the kernel honours only under node-wide memory pressure");
            }
            List<String> bad = ancestors.stream().filter(o -> !o.applied()).map(FileOutcome::detail).toList();
            if (!bad.isEmpty()) {
                return new DimensionReport(d, false, "AncestorProtectionFailed", "memory.min is set on the pod but"
                        + " an ancestor could not be raised to cover it, so the protection is void: "
                        + String.join("; ", bad));
            }
        }
        if (disk(d)) {
            DimensionReport weights = diskWeights(d, t);
            if (weights != null) {
                return weights;
            }
        }
        List<String> clamped = details(mine, FileOutcome.Status.CLAMPED);
        if (!clamped.isEmpty()) {
            return new DimensionReport(d, true, "Clamped", String.join("; ", clamped));
        }
        return new DimensionReport(d, true, "Applied", "in effect in the pod's cgroup");
    }

    /** I/O weights work only with BFQ (or, on v2, blk-iocost enabled for the device). */
    private DimensionReport diskWeights(Dimension d, CgroupRenderer.Target t) {
        List<String> ignoring = new ArrayList<>();
        for (BlockDevice dev : devices) {
            if (!dev.honoursWeights() && !iocostDevices.contains(dev.majMin())) {
                ignoring.add(dev.name() + " (scheduler " + (dev.scheduler() == null ? "unknown" : dev.scheduler()) + ")");
            }
        }
        boolean capped = t.cap() != Quantities.UNLIMITED;
        String caps = capped ? (layout.version() == CgroupVersion.V1
                ? " The cap is enforced by blkio.throttle for reads and direct writes; cgroup v1 cannot throttle"
                + " buffered writes (writeback is not attributed to the cgroup)."
                : " The cap (io.max) is enforced.") : "";
        if (!ignoring.isEmpty()) {
            return new DimensionReport(d, false, "WeightNotHonoured", (layout.version() == CgroupVersion.V2
                    ? "io.weight" : "blkio weight") + " has no effect on " + String.join(", ", ignoring)
                    + ": only the bfq scheduler" + (layout.version() == CgroupVersion.V2
                    ? " or blk-iocost (enabled in io.cost.qos)" : "") + " honours cgroup I/O weights." + caps);
        }
        if (capped && layout.version() == CgroupVersion.V1) {
            return new DimensionReport(d, false, "WritebackNotThrottled", "weights are honoured (bfq)." + caps);
        }
        return null;
    }

    private static DimensionReport notImplemented(Dimension d) {
        return new DimensionReport(d, false, "NotImplemented", "the agent does not shape network traffic yet;"
                + " a network cap reaches the pod only through the CNI bandwidth annotations"
                + " (kubernetes.io/" + (d == Dimension.NETWORK_EGRESS ? "egress" : "ingress")
                + "-bandwidth) where the CNI plugin supports them; reservations and shares are not enforced");
    }

    private static boolean belongs(Dimension d, String file) {
        String name = file.substring(file.lastIndexOf('/') + 1);
        return switch (d) {
            case CPU -> name.startsWith("cpu.");
            case MEMORY -> name.startsWith("memory.");
            case DISK_IOPS, DISK_BANDWIDTH -> name.startsWith("io.") || name.startsWith("blkio.");
            case NETWORK_EGRESS, NETWORK_INGRESS -> false;
        };
    }

    private static List<String> details(List<FileOutcome> outcomes, FileOutcome.Status status) {
        return outcomes.stream().filter(o -> o.status() == status)
                .map(o -> o.detail() == null ? o.file() : o.detail()).toList();
    }

    private static boolean network(Dimension d) {
        return d == Dimension.NETWORK_EGRESS || d == Dimension.NETWORK_INGRESS;
    }

    private static boolean disk(Dimension d) {
        return d == Dimension.DISK_IOPS || d == Dimension.DISK_BANDWIDTH;
    }

    /** Devices with blk-iocost enabled: lines "MAJ:MIN enable=1 ..." in the root's io.cost.qos. */
    private static Set<String> iocostEnabled(Path root) {
        Set<String> out = new TreeSet<>();
        Path qos = root.resolve("io.cost.qos");
        if (!Files.isRegularFile(qos)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(qos)) {
                String[] p = line.trim().split("\\s+");
                if (p.length > 1 && List.of(p).contains("enable=1")) {
                    out.add(p[0]);
                }
            }
        } catch (java.io.IOException e) {
            return out;
        }
        return out;
    }
}
