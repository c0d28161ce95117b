package io.respool.agent.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The block devices whose I/O the agent weighs and caps, read from sysfs ({@code /sys/block}).
 * By default every physical disk: entries under {@code /sys/devices/virtual} (loop, zram, ram,
 * device-mapper) are left out, since I/O reaches them only through a physical disk or not at all.
 * An explicit list of names overrides that (e.g. to include an LVM volume).
 */
public final class BlockDevices {

    private static final Pattern ACTIVE = Pattern.compile("\\[([^\\]]+)]");

    private BlockDevices() {
    }

    /**
     * @param sysBlock the {@code /sys/block} directory (configurable for tests)
     * @param only     device names to use; empty: every physical disk
     */
    public static List<BlockDevice> scan(Path sysBlock, Collection<String> only) {
        List<BlockDevice> out = new ArrayList<>();
        if (!Files.isDirectory(sysBlock)) {
            return out;
        }
        try (Stream<Path> s = Files.list(sysBlock)) {
            for (Path dev : s.sorted().toList()) {
                String name = dev.getFileName().toString();
                if (!only.isEmpty() ? !only.contains(name) : isVirtual(dev)) {
                    continue;
                }
                String majMin = CgroupFiles.readOrNull(dev.resolve("dev"));
                if (majMin == null || !majMin.matches("\\d+:\\d+")) {
                    continue;
                }
                out.add(new BlockDevice(name, majMin, scheduler(dev)));
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    private static boolean isVirtual(Path dev) {
        try {
            return dev.toRealPath().toString().contains("/devices/virtual/");
        } catch (IOException e) {
            return true;
        }
    }

    private static String scheduler(Path dev) {
        String text = CgroupFiles.readOrNull(dev.resolve("queue/scheduler"));
        if (text == null) {
            return null;
        }
        Matcher m = ACTIVE.matcher(text);
        return m.find() ? m.group(1) : text.trim();
    }
}
