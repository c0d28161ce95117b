package io.respool.agent.measure;

import io.respool.agent.cgroup.CgroupVersion;
import io.respool.agent.cgroup.Controller;
import io.respool.agent.cgroup.PodCgroup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Reads a pod cgroup's counters.
 *
 * <ul>
 *   <li>v2: {@code cpu.stat} (usage_usec, nr_periods, nr_throttled, throttled_usec),
 *       {@code cpu.pressure}, {@code memory.current}, {@code memory.stat} (inactive_file),
 *       {@code memory.events} (max), {@code io.stat} (rbytes, wbytes over all devices);</li>
 *   <li>v1: {@code cpuacct.usage} (in the cpuacct hierarchy), {@code cpu.stat} (nr_periods,
 *       nr_throttled, throttled_time), {@code memory.usage_in_bytes}, {@code memory.stat}
 *       (total_inactive_file), {@code memory.failcnt},
 *       {@code blkio.throttle.io_service_bytes_recursive} (Read, Write);</li>
 *   <li>both: the run delay of every thread in the pod (its own cgroup and those below), field 2
 *       of {@code /proc/<tid>/schedstat}: time spent ready to run but not running. It needs the
 *       host's PID namespace (the agent's DaemonSet runs with hostPID); without it the field is
 *       missing and demand relies on throttling counters alone.</li>
 * </ul>
 */
public final class CgroupSampleReader {

    /** Bound on the threads read per pod and pass (a VM has one per vCPU plus a few dozen). */
    static final int MAX_THREADS = 4096;

    private final LongSupplier clock;
    private final Path proc;

    public CgroupSampleReader() {
        this(System::nanoTime, Path.of("/proc"));
    }

    public CgroupSampleReader(LongSupplier clock, Path proc) {
        this.clock = clock;
        this.proc = proc;
    }

    public CgroupSample read(PodCgroup pod) {
        long now = clock.getAsLong();
        return pod.layout().version() == CgroupVersion.V2 ? readV2(pod, now) : readV1(pod, now);
    }

    private CgroupSample readV2(PodCgroup pod, long now) {
        Path dir = pod.layout().root().resolve(pod.relativePath());
        Map<String, Long> cpu = keyValues(dir.resolve("cpu.stat"));
        Map<String, Long> mem = keyValues(dir.resolve("memory.stat"));
        Map<String, Long> events = keyValues(dir.resolve("memory.events"));
        long[] io = ioStatV2(dir.resolve("io.stat"));
        return new CgroupSample(now,
                times(cpu.get("usage_usec"), 1000),
                cpu.get("nr_periods"),
                maxWithChildren(cpu.get("nr_throttled"), dir, "cpu.stat", "nr_throttled", 1),
                maxWithChildren(times(cpu.get("throttled_usec"), 1000), dir, "cpu.stat", "throttled_usec", 1000),
                pressureSomeTotal(dir.resolve("cpu.pressure")),
                runDelay(dir, "cgroup.threads"),
                single(dir.resolve("memory.current")),
                mem.get("inactive_file"),
                events.get("max"),
                io == null ? null : io[0],
                io == null ? null : io[1]);
    }

    private CgroupSample readV1(PodCgroup pod, long now) {
        Optional<Path> cpuDir = pod.dir(Controller.CPU);
        Optional<Path> acctDir = pod.dir(Controller.CPUACCT);
        Optional<Path> memDir = pod.dir(Controller.MEMORY);
        Optional<Path> blkDir = pod.dir(Controller.BLKIO);
        Map<String, Long> cpu = cpuDir.map(d -> keyValues(d.resolve("cpu.stat"))).orElse(Map.of());
        Map<String, Long> mem = memDir.map(d -> keyValues(d.resolve("memory.stat"))).orElse(Map.of());
        long[] io = blkDir.map(d -> ioServiceBytesV1(d.resolve("blkio.throttle.io_service_bytes_recursive")))
                .orElse(null);
        return new CgroupSample(now,
                acctDir.map(d -> single(d.resolve("cpuacct.usage"))).orElse(null),
                cpu.get("nr_periods"),
                cpuDir.map(d -> maxWithChildren(cpu.get("nr_throttled"), d, "cpu.stat", "nr_throttled", 1))
                        .orElse(null),
                cpuDir.map(d -> maxWithChildren(cpu.get("throttled_time"), d, "cpu.stat", "throttled_time", 1))
                        .orElse(null),
                null,
                cpuDir.map(d -> runDelay(d, "tasks")).orElse(null),
                memDir.map(d -> single(d.resolve("memory.usage_in_bytes"))).orElse(null),
                mem.get("total_inactive_file"),
                memDir.map(d -> single(d.resolve("memory.failcnt"))).orElse(null),
                io == null ? null : io[0],
                io == null ? null : io[1]);
    }

    /**
     * Sum of the run delay (ns) of every thread listed in {@code listFile} in the pod's cgroup and
     * its descendants; null when no thread's schedstat could be read.
     */
    Long runDelay(Path podDir, String listFile) {
        long sum = 0;
        int threads = 0;
        boolean any = false;
        List<Path> dirs;
        try (java.util.stream.Stream<Path> s = Files.walk(podDir, 3)) {
            dirs = s.filter(Files::isDirectory).toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            return null;
        }
        for (Path d : dirs) {
            for (String tid : lines(d.resolve(listFile))) {
                if (++threads > MAX_THREADS) {
                    return any ? sum : null;
                }
                String t = tid.trim();
                if (t.isEmpty() || !t.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                List<String> stat = lines(proc.resolve(t).resolve("schedstat"));
                if (stat.isEmpty()) {
                    continue;
                }
                String[] f = stat.get(0).trim().split("\\s+");
                if (f.length >= 2) {
                    try {
                        sum += Long.parseLong(f[1]);
                        any = true;
                    } catch (NumberFormatException ignored) {
                        // not schedstat
                    }
                }
            }
        }
        return any ? sum : null;
    }

    /**
     * A pod's own throttling counter, or the sum over its direct children (its containers) when
     * larger: when a container's quota binds before the pod's, only the container is throttled.
     */
    static Long maxWithChildren(Long own, Path dir, String file, String key, long factor) {
        long sum = 0;
        boolean any = false;
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            for (Path child : s.filter(Files::isDirectory).toList()) {
                Long v = keyValues(child.resolve(file)).get(key);
                if (v != null) {
                    sum += v * factor;
                    any = true;
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            return own;
        }
        if (!any) {
            return own;
        }
        return own == null ? sum : Math.max(own, sum);
    }

    private static Long times(Long v, long factor) {
        return v == null ? null : v * factor;
    }

    static Long single(Path file) {
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** "key value" lines (cpu.stat, memory.stat, memory.events). */
    static Map<String, Long> keyValues(Path file) {
        Map<String, Long> out = new HashMap<>();
        for (String line : lines(file)) {
            String[] p = line.trim().split("\\s+");
            if (p.length == 2) {
                try {
                    out.put(p[0], Long.parseLong(p[1]));
                } catch (NumberFormatException ignored) {
                    // not a counter
                }
            }
        }
        return out;
    }

    /** "some avg10=.. avg60=.. avg300=.. total=N": N in microseconds. */
    static Long pressureSomeTotal(Path file) {
        for (String line : lines(file)) {
            if (line.startsWith("some ")) {
                for (String part : line.split("\\s+")) {
                    if (part.startsWith("total=")) {
                        try {
                            return Long.parseLong(part.substring("total=".length()));
                        } catch (NumberFormatException e) {
                            return null;
                        }
                    }
                }
            }
        }
        return null;
    }

    /** io.stat: "MAJ:MIN rbytes=N wbytes=N rios=N wios=N ..." summed over devices. */
    static long[] ioStatV2(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        long read = 0;
        long write = 0;
        for (String line : lines(file)) {
            for (String part : line.trim().split("\\s+")) {
                if (part.startsWith("rbytes=")) {
                    read += parseOrZero(part.substring(7));
                } else if (part.startsWith("wbytes=")) {
                    write += parseOrZero(part.substring(7));
                }
            }
        }
        return new long[] {read, write};
    }

    /** blkio.throttle.io_service_bytes_recursive: "MAJ:MIN Read N", "MAJ:MIN Write N", "Total N". */
    static long[] ioServiceBytesV1(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        long read = 0;
        long write = 0;
        for (String line : lines(file)) {
            String[] p = line.trim().split("\\s+");
            if (p.length == 3 && p[0].contains(":")) {
                if (p[1].equals("Read")) {
                    read += parseOrZero(p[2]);
                } else if (p[1].equals("Write")) {
                    write += parseOrZero(p[2]);
                }
            }
        }
        return new long[] {read, write};
    }

    private static long parseOrZero(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }
}
