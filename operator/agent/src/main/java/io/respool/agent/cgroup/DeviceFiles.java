package io.respool.agent.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-device cgroup files ({@code io.max}, {@code blkio.throttle.*}): one line per device, keyed
 * by "major:minor". The renderer gives the value without the device; this class writes it for
 * each device, only where the device's line differs, one line per write as the kernel wants.
 */
final class DeviceFiles {

    /** How one file kind reads and writes a device's value. */
    interface Format {
        /** The device's current value in normalised form, from the file's lines ("" if no line). */
        String current(List<String> lines, String majMin);

        /** The desired value in the same normalised form. */
        String normalise(String value);

        /** The line that sets {@code value} for the device. */
        String line(String majMin, String value);

        /** The value that removes any limit. */
        String unlimited();
    }

    /** io.max: "MAJ:MIN rbps=.. wbps=.. riops=.. wiops=.."; absent keys and absent lines are "max". */
    static final Format IO_MAX = new Format() {
        private static final List<String> KEYS = List.of("rbps", "wbps", "riops", "wiops");

        @Override
        public String current(List<String> lines, String majMin) {
            for (String l : lines) {
                if (l.startsWith(majMin + " ")) {
                    return normalise(l.substring(majMin.length() + 1));
                }
            }
            return unlimited();
        }

        @Override
        public String normalise(String value) {
            Map<String, String> kv = new LinkedHashMap<>();
            KEYS.forEach(k -> kv.put(k, "max"));
            for (String part : value.trim().split("\\s+")) {
                int eq = part.indexOf('=');
                if (eq > 0 && kv.containsKey(part.substring(0, eq))) {
                    kv.put(part.substring(0, eq), part.substring(eq + 1));
                }
            }
            StringBuilder sb = new StringBuilder();
            kv.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : " ").append(k).append('=').append(v));
            return sb.toString();
        }

        @Override
        public String line(String majMin, String value) {
            return majMin + " " + normalise(value);
        }

        @Override
        public String unlimited() {
            return "rbps=max wbps=max riops=max wiops=max";
        }
    };

    /** blkio.throttle.*: "MAJ:MIN N"; an absent line means unlimited, written as 0. */
    static final Format THROTTLE = new Format() {
        @Override
        public String current(List<String> lines, String majMin) {
            for (String l : lines) {
                if (l.startsWith(majMin + " ")) {
                    return l.substring(majMin.length() + 1).trim();
                }
            }
            return "0";
        }

        @Override
        public String normalise(String value) {
            return value.trim().equals("max") ? "0" : value.trim();
        }

        @Override
        public String line(String majMin, String value) {
            return majMin + " " + normalise(value);
        }

        @Override
        public String unlimited() {
            return "0";
        }
    };

    private DeviceFiles() {
    }

    static FileOutcome ensure(Path dir, String file, String value, List<BlockDevice> devices, Format format) {
        Path path = dir.resolve(file);
        String desiredAll = describe(devices, format.normalise(value));
        if (devices.isEmpty()) {
            return new FileOutcome(file, path, desiredAll, null, null, false, FileOutcome.Status.MISSING,
                    "no block devices to set " + file + " on");
        }
        if (!Files.isRegularFile(path)) {
            return new FileOutcome(file, path, desiredAll, null, null, false, FileOutcome.Status.MISSING,
                    path + " does not exist");
        }
        List<String> before;
        try {
            before = lines(path);
        } catch (IOException e) {
            return new FileOutcome(file, path, desiredAll, null, null, false, FileOutcome.Status.FAILED,
                    "cannot read " + path + ": " + CgroupFiles.error(e));
        }
        String desired = format.normalise(value);
        boolean wrote = false;
        List<String> errors = new ArrayList<>();
        for (BlockDevice d : devices) {
            if (format.current(before, d.majMin()).equals(desired)) {
                continue;
            }
            try {
                CgroupFiles.write(path, format.line(d.majMin(), desired));
                wrote = true;
            } catch (IOException e) {
                errors.add(d.name() + " (" + d.majMin() + "): " + CgroupFiles.error(e));
            }
        }
        List<String> after = wrote ? linesOrEmpty(path) : before;
        String previous = describeCurrent(devices, before, format);
        String effective = describeCurrent(devices, after, format);
        if (!errors.isEmpty()) {
            return new FileOutcome(file, path, desiredAll, previous, effective, wrote, FileOutcome.Status.FAILED,
                    "cannot write " + file + " for " + String.join(", ", errors));
        }
        return new FileOutcome(file, path, desiredAll, previous, effective, wrote, FileOutcome.Status.OK, null);
    }

    private static String describe(List<BlockDevice> devices, String value) {
        List<String> parts = new ArrayList<>();
        devices.forEach(d -> parts.add(d.majMin() + " " + value));
        return String.join(", ", parts);
    }

    private static String describeCurrent(List<BlockDevice> devices, List<String> lines, Format format) {
        List<String> parts = new ArrayList<>();
        devices.forEach(d -> parts.add(d.majMin() + " " + format.current(lines, d.majMin())));
        return String.join(", ", parts);
    }

    private static List<String> lines(Path path) throws IOException {
        return Files.readAllLines(path).stream().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    private static List<String> linesOrEmpty(Path path) {
        try {
            return lines(path);
        } catch (IOException e) {
            return List.of();
        }
    }
}
