package io.respool.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A cgroup-shaped directory tree on an ordinary file system, for tests of layout and file values
 * (no kernel semantics: a write replaces the file's content).
 */
public final class FakeCgroupTree {

    /** Files a v2 pod cgroup has, with the kernel's defaults. */
    public static final Map<String, String> V2_POD_FILES = Map.of(
            "cgroup.procs", "",
            "cpu.weight", "100",
            "cpu.max", "max 100000",
            "cpu.stat", "usage_usec 0\nuser_usec 0\nsystem_usec 0\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n",
            "memory.min", "0",
            "memory.high", "max",
            "memory.max", "max",
            "memory.current", "0",
            "io.weight", "default 100",
            "io.max", "");

    private final Path root;

    public FakeCgroupTree(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** A v2 unified root: cgroup.controllers present. */
    public static FakeCgroupTree v2(Path root) {
        FakeCgroupTree t = new FakeCgroupTree(root);
        t.file("", "cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc");
        t.file("", "cgroup.subtree_control", "cpu io memory");
        return t;
    }

    /** A v2 cgroup directory with the given files. */
    public FakeCgroupTree cgroup(String rel, Map<String, String> files) {
        files.forEach((name, content) -> file(rel, name, content));
        return this;
    }

    /** A QoS- or kubepods-level v2 cgroup: memory.min and cgroup.procs only. */
    public FakeCgroupTree v2Parent(String rel) {
        return cgroup(rel, Map.of("cgroup.procs", "", "memory.min", "0", "cpu.weight", "100"));
    }

    public FakeCgroupTree file(String rel, String name, String content) {
        try {
            Path dir = rel.isEmpty() ? root : root.resolve(rel);
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public String read(String relFile) {
        try {
            return Files.readString(root.resolve(relFile)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fake /sys/block with one physical disk using the given scheduler. */
    public static Path sysBlock(Path dir, String name, String majMin, String scheduler) {
        try {
            Path dev = dir.resolve("devices/pci0000:00/" + name);
            Files.createDirectories(dev.resolve("queue"));
            Files.writeString(dev.resolve("dev"), majMin + "\n");
            Files.writeString(dev.resolve("queue/scheduler"), scheduler + "\n");
            Path block = dir.resolve("block");
            Files.createDirectories(block);
            Files.createSymbolicLink(block.resolve(name), dev);
            Path loop = dir.resolve("devices/virtual/block/loop0");
            Files.createDirectories(loop.resolve("queue"));
            Files.writeString(loop.resolve("dev"), "7:0\n");
            Files.writeString(loop.resolve("queue/scheduler"), "[none] bfq\n");
            Files.createSymbolicLink(block.resolve("loop0"), loop);
            return block;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
