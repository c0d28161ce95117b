package io.respool.agent.cgroup;

import io.respool.engine.CgroupValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * cgroup v1 (one hierarchy per controller): cpu.shares, cpu.cfs_period_us / cpu.cfs_quota_us,
 * memory.soft_limit_in_bytes / memory.limit_in_bytes, blkio.weight (blkio.bfq.weight on kernels
 * without CFQ) and blkio.throttle.* per device.
 *
 * <p>v1 refuses a cfs quota below a child cgroup's quota. Lowering a pod's cap below the quota the
 * runtime gave one of its containers would fail, so the containers' quotas are lowered to the cap
 * first (inside the pod's own cgroup, deepest first); each such change is reported.
 */
public final class CgroupV1Writer implements CgroupWriter {

    private final List<BlockDevice> devices;

    public CgroupV1Writer(List<BlockDevice> devices) {
        this.devices = List.copyOf(devices);
    }

    @Override
    public CgroupVersion version() {
        return CgroupVersion.V1;
    }

    @Override
    public List<FileOutcome> apply(PodCgroup pod, CgroupValues values) {
        List<FileOutcome> out = new ArrayList<>();
        Map<String, String> v1 = values.v1();
        for (Map.Entry<String, String> e : v1.entrySet()) {
            String file = e.getKey();
            String value = e.getValue();
            Controller controller = Controller.ofV1File(file);
            Optional<Path> dir = pod.dir(controller);
            if (dir.isEmpty()) {
                out.add(new FileOutcome(file, null, value, null, null, false, FileOutcome.Status.MISSING,
                        "the " + controller.v1Name() + " controller is not mounted under " + pod.layout().root()));
                continue;
            }
            Path d = dir.get();
            switch (file) {
                case "cpu.shares" -> out.add(CgroupFiles.ensure(d, file, file,
                        KernelRange.clamp(file, value, KernelRange.MIN_SHARES, KernelRange.MAX_SHARES)));
                case "cpu.cfs_period_us" -> out.add(CgroupFiles.ensure(d, file, file,
                        KernelRange.clamp(file, value, KernelRange.MIN_PERIOD_US, KernelRange.MAX_PERIOD_US)));
                case "cpu.cfs_quota_us" -> {
                    KernelRange.Checked quota = KernelRange.clamp(file, value,
                            KernelRange.MIN_QUOTA_US, KernelRange.MAX_QUOTA_US, "-1");
                    if (!quota.value().equals("-1")) {
                        long period = parseOr(v1.get("cpu.cfs_period_us"), 100_000);
                        out.addAll(fitChildQuotas(d, Long.parseLong(quota.value()), period));
                    }
                    out.add(CgroupFiles.ensure(d, file, file, quota));
                }
                case "memory.limit_in_bytes" -> out.add(CgroupFiles.ensure(d, file, file,
                        KernelRange.memoryCap(file, value)));
                case "memory.soft_limit_in_bytes" -> out.add(CgroupFiles.ensure(d, file, file,
                        KernelRange.clamp(file, value, 0, Long.MAX_VALUE, "-1")));
                case "blkio.weight" -> out.add(blkioWeight(d, value));
                default -> {
                    if (file.startsWith("blkio.throttle.")) {
                        out.add(DeviceFiles.ensure(d, file, value, devices, DeviceFiles.THROTTLE));
                    } else {
                        out.add(CgroupFiles.ensure(d, file, file, new KernelRange.Checked(value, null)));
                    }
                }
            }
        }
        return out;
    }

    @Override
    public List<FileOutcome> reconcileAncestors(Collection<PodCgroup> pods) {
        // v1 has no hierarchical memory protection to keep consistent (soft limits are per cgroup).
        return List.of();
    }

    @Override
    public FileOutcome restore(PodCgroup pod, String file, String original) {
        Optional<Path> dir = pod.dir(Controller.ofV1File(file));
        if (dir.isEmpty()) {
            return new FileOutcome(file, null, original, null, null, false, FileOutcome.Status.MISSING,
                    "controller not mounted");
        }
        if (file.startsWith("blkio.throttle.")) {
            return DeviceFiles.ensure(dir.get(), file, DeviceFiles.THROTTLE.unlimited(), devices,
                    DeviceFiles.THROTTLE);
        }
        return CgroupFiles.ensure(dir.get(), file, file, new KernelRange.Checked(original, null));
    }

    /**
     * blkio.weight exists only with the CFQ scheduler (gone since Linux 5.0); BFQ offers
     * blkio.bfq.weight instead, on its own scale: 1..1000 with default 100 where CFQ had
     * 10..1000 with default 500. The rendered CFQ value is carried over so that the default stays
     * the default (×100/500): a pod with normal disk shares weighs the same as the pods beside it.
     */
    private static FileOutcome blkioWeight(Path dir, String value) {
        if (Files.isRegularFile(dir.resolve("blkio.weight"))) {
            return CgroupFiles.ensure(dir, "blkio.weight", "blkio.weight", KernelRange.clamp("blkio.weight", value,
                    KernelRange.MIN_BLKIO_WEIGHT, KernelRange.MAX_BFQ_WEIGHT));
        }
        if (Files.isRegularFile(dir.resolve("blkio.bfq.weight"))) {
            String bfq = value;
            try {
                bfq = Long.toString(Math.max(1, Math.round(Long.parseLong(value.trim()) * 100 / 500.0)));
            } catch (NumberFormatException e) {
                // not a number: let the kernel judge it
            }
            return CgroupFiles.ensure(dir, "blkio.bfq.weight", "blkio.bfq.weight",
                    KernelRange.clamp("blkio.bfq.weight", bfq, 1, KernelRange.MAX_BFQ_WEIGHT));
        }
        return new FileOutcome("blkio.weight", dir.resolve("blkio.weight"), value, null, null, false,
                FileOutcome.Status.MISSING, "neither blkio.weight (CFQ) nor blkio.bfq.weight (BFQ) exists in " + dir);
    }

    /**
     * Lowers every descendant whose quota (per its own period) exceeds {@code quota / period}, so
     * the kernel accepts the pod's new quota. Deepest first.
     */
    private static List<FileOutcome> fitChildQuotas(Path podDir, long quota, long period) {
        List<FileOutcome> out = new ArrayList<>();
        List<Path> children;
        try (Stream<Path> s = Files.walk(podDir, 4)) {
            children = s.filter(Files::isDirectory).filter(p -> !p.equals(podDir))
                    .sorted(Comparator.comparingInt(Path::getNameCount).reversed().thenComparing(Path::toString))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            return out;
        }
        for (Path child : children) {
            String q = CgroupFiles.readOrNull(child.resolve("cpu.cfs_quota_us"));
            String p = CgroupFiles.readOrNull(child.resolve("cpu.cfs_period_us"));
            if (q == null || p == null || q.equals("-1")) {
                continue;
            }
            long childQuota = parseOr(q, -1);
            long childPeriod = parseOr(p, 100_000);
            if (childQuota < 0 || (double) childQuota / childPeriod <= (double) quota / period) {
                continue;
            }
            long fitted = Math.max(KernelRange.MIN_QUOTA_US, quota * childPeriod / period);
            String name = podDir.relativize(child) + "/cpu.cfs_quota_us";
            FileOutcome o = CgroupFiles.ensure(child, "cpu.cfs_quota_us", name, new KernelRange.Checked(
                    Long.toString(fitted), name + ": container quota " + childQuota + " exceeds the pod cap " + quota
                    + "/" + period + "; lowered to " + fitted + " so the kernel accepts the cap"));
            out.add(o);
        }
        return out;
    }

    private static long parseOr(String text, long fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
