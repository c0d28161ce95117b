package io.respool.agent.cgroup;

import io.respool.engine.CgroupValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * cgroup v2 (unified hierarchy): cpu.weight, cpu.max, memory.min / high / max, io.weight (and
 * io.bfq.weight where BFQ provides it), io.max per device. Ancestors' memory.min are kept at the
 * sum of their children's, because a child's protection is capped by its parent's.
 */
public final class CgroupV2Writer implements CgroupWriter {

    private final List<BlockDevice> devices;

    public CgroupV2Writer(List<BlockDevice> devices) {
        this.devices = List.copyOf(devices);
    }

    @Override
    public CgroupVersion version() {
        return CgroupVersion.V2;
    }

    @Override
    public List<FileOutcome> apply(PodCgroup pod, CgroupValues values) {
        Path dir = pod.layout().root().resolve(pod.relativePath());
        List<FileOutcome> out = new ArrayList<>();
        for (Map.Entry<String, String> e : values.v2().entrySet()) {
            String file = e.getKey();
            String value = e.getValue();
            switch (file) {
                case "cpu.weight" -> out.add(CgroupFiles.ensure(dir, file, file,
                        KernelRange.clamp(file, value, KernelRange.MIN_WEIGHT, KernelRange.MAX_WEIGHT)));
                case "cpu.max" -> out.add(CgroupFiles.ensure(dir, file, file, cpuMax(value)));
                case "memory.high", "memory.max" -> out.add(CgroupFiles.ensure(dir, file, file,
                        KernelRange.memoryCap(file, value)));
                case "memory.min" -> out.add(CgroupFiles.ensure(dir, file, file,
                        KernelRange.clamp(file, value, 0, Long.MAX_VALUE)));
                case "io.weight" -> {
                    out.add(ioWeight(dir, file, value, KernelRange.MAX_IO_WEIGHT));
                    if (Files.isRegularFile(dir.resolve("io.bfq.weight"))) {
                        out.add(ioWeight(dir, "io.bfq.weight", value, KernelRange.MAX_BFQ_WEIGHT));
                    }
                }
                case "io.max" -> out.add(DeviceFiles.ensure(dir, file, value, devices, DeviceFiles.IO_MAX));
                default -> out.add(CgroupFiles.ensure(dir, file, file, new KernelRange.Checked(value, null)));
            }
        }
        return out;
    }

    @Override
    public List<FileOutcome> reconcileAncestors(Collection<PodCgroup> pods) {
        Path root = null;
        Set<Path> ancestors = new LinkedHashSet<>();
        for (PodCgroup pod : pods) {
            root = pod.layout().root();
            ancestors.addAll(pod.ancestors(root));
        }
        List<FileOutcome> out = new ArrayList<>();
        if (root == null) {
            return out;
        }
        // Deepest first, so each level sums values already raised below it.
        List<Path> ordered = new ArrayList<>(ancestors);
        ordered.sort(Comparator.comparingInt(Path::getNameCount).reversed().thenComparing(Path::toString));
        for (Path a : ordered) {
            if (!Files.isRegularFile(a.resolve("memory.min"))) {
                continue;
            }
            long sum = 0;
            try (Stream<Path> children = Files.list(a)) {
                for (Path c : children.filter(Files::isDirectory).toList()) {
                    String v = CgroupFiles.readOrNull(c.resolve("memory.min"));
                    if (v != null && v.matches("\\d+")) {
                        sum = saturatingAdd(sum, Long.parseLong(v));
                    }
                }
            } catch (IOException e) {
                out.add(new FileOutcome(name(root, a), a.resolve("memory.min"), null, null, null, false,
                        FileOutcome.Status.FAILED, "cannot list " + a + ": " + CgroupFiles.error(e)));
                continue;
            }
            out.add(CgroupFiles.ensure(a, "memory.min", name(root, a),
                    new KernelRange.Checked(Long.toString(sum), null)));
        }
        return out;
    }

    @Override
    public FileOutcome restore(PodCgroup pod, String file, String original) {
        Path dir = pod.layout().root().resolve(pod.relativePath());
        if (file.equals("io.max")) {
            return DeviceFiles.ensure(dir, file, DeviceFiles.IO_MAX.unlimited(), devices, DeviceFiles.IO_MAX);
        }
        String value = original;
        if (file.equals("io.weight") || file.equals("io.bfq.weight")) {
            value = original.lines().findFirst().orElse(original).trim();
        }
        return CgroupFiles.ensure(dir, file, file, new KernelRange.Checked(value, null));
    }

    /** "quota period" with the quota clamped to the kernel's range ("max" passes). */
    private static KernelRange.Checked cpuMax(String value) {
        String[] parts = value.trim().split("\\s+");
        if (parts.length != 2) {
            return new KernelRange.Checked(value.trim(), null);
        }
        KernelRange.Checked quota = KernelRange.clamp("cpu.max quota", parts[0],
                KernelRange.MIN_QUOTA_US, KernelRange.MAX_QUOTA_US, "max");
        KernelRange.Checked period = KernelRange.clamp("cpu.max period", parts[1],
                KernelRange.MIN_PERIOD_US, KernelRange.MAX_PERIOD_US);
        String note = quota.note() != null ? quota.note() : period.note();
        return new KernelRange.Checked(quota.value() + " " + period.value(), note);
    }

    private static FileOutcome ioWeight(Path dir, String file, String value, long max) {
        String v = value.trim();
        String number = v.startsWith("default ") ? v.substring("default ".length()).trim() : v;
        KernelRange.Checked n = KernelRange.clamp(file, number, 1, max);
        return CgroupFiles.ensure(dir, file, file, new KernelRange.Checked("default " + n.value(), n.note()));
    }

    private static String name(Path root, Path ancestor) {
        return root.relativize(ancestor) + "/memory.min";
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
