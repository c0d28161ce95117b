package io.respool.demo;

import io.respool.agent.cgroup.CgroupDriver;
import io.respool.agent.cgroup.CgroupLayout;
import io.respool.agent.cgroup.CgroupVersion;
import io.respool.agent.cgroup.Controller;
import io.respool.agent.cgroup.PodCgroupLocator;
import io.respool.agent.cgroup.QosClass;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The pod cgroups a kubelet would create on each simulated node, for the node agent to find and
 * write. KWOK runs no containers, so something has to stand in for this part of the kubelet:
 *
 * <ul>
 *   <li>{@link #fakeTree}: a cgroup v2 tree of ordinary files per node, laid out as a kubelet with
 *       the systemd driver lays it out ({@code kubepods.slice/kubepods-burstable.slice/
 *       kubepods-burstable-pod<uid>.slice}), each pod cgroup holding the interface files the agent
 *       writes with the kernel's defaults. No usage is simulated: the files the agent measures
 *       (cpu.stat, memory.current, memory.stat) are absent, so it reports no demand and the operator
 *       keeps each workload's default demand (its size), as {@code respool plan} assumes.</li>
 *   <li>{@link #real}: real cgroups (root only), below {@code <prefix>/<node>/kubepods} in every
 *       hierarchy the agent uses (cgroupfs naming: {@code kubepods/burstable/pod<uid>}). They hold no
 *       processes, so the agent measures zero usage and reports it as demand.</li>
 * </ul>
 */
public final class KubeletCgroups implements AutoCloseable {

    private static final Map<String, String> V2_POD_FILES = Map.of(
            "cgroup.procs", "",
            "cgroup.threads", "",
            "cpu.weight", "100",
            "cpu.max", "max 100000",
            "memory.min", "0",
            "memory.low", "0",
            "memory.high", "max",
            "memory.max", "max",
            "io.weight", "default 100",
            "io.max", "");
    private static final Map<String, String> V2_PARENT_FILES = Map.of(
            "cgroup.procs", "",
            "cpu.weight", "100",
            "memory.min", "0",
            "memory.low", "0");

    private final boolean real;
    private final Path base;
    private final List<Path> hierarchies;
    private final CgroupVersion version;

    private KubeletCgroups(boolean real, Path base, List<Path> hierarchies, CgroupVersion version) {
        this.real = real;
        this.base = base;
        this.hierarchies = hierarchies;
        this.version = version;
    }

    /** Fake v2 trees, one per node, below {@code dir/<node>}. */
    public static KubeletCgroups fakeTree(Path dir) {
        return new KubeletCgroups(false, dir, List.of(), CgroupVersion.V2);
    }

    /**
     * Real cgroups below {@code /sys/fs/cgroup}: {@code <hierarchy>/<prefix>/<node>/kubepods/...}.
     *
     * @throws IllegalStateException when there is no writable cgroup hierarchy (not root)
     */
    public static KubeletCgroups real(String prefix) {
        Path root = Path.of("/sys/fs/cgroup");
        if (Files.isRegularFile(root.resolve("cgroup.controllers"))) {
            return new KubeletCgroups(true, Path.of(prefix), List.of(root), CgroupVersion.V2);
        }
        List<Path> v1 = new ArrayList<>();
        for (Controller c : Controller.values()) {
            Path h = root.resolve(c.v1Name());
            if (Files.isRegularFile(h.resolve("cgroup.procs"))) {
                v1.add(h);
            }
        }
        if (v1.isEmpty() || !Files.isWritable(v1.get(0))) {
            throw new IllegalStateException("no writable cgroup hierarchy below " + root
                    + " (--real-cgroups needs root on a host with cgroups)");
        }
        return new KubeletCgroups(true, Path.of(prefix), v1, CgroupVersion.V1);
    }

    public boolean isReal() {
        return real;
    }

    /** The agent's --cgroup-root for this node. */
    public Path cgroupRoot(String node) {
        return real ? Path.of("/sys/fs/cgroup") : base.resolve(node);
    }

    /** The agent's --kubepods-cgroup for this node (null: let it find kubepods.slice). */
    public String kubepods(String node) {
        return real ? base.resolve(node).resolve("kubepods").toString() : null;
    }

    /** Creates the node's kubepods and QoS cgroups (before the agent starts). */
    public void prepareNode(String node) {
        if (real) {
            for (Path h : hierarchies) {
                for (String qos : List.of("", "burstable", "besteffort")) {
                    mkdirs(h.resolve(kubepods(node)).resolve(qos));
                }
            }
            if (version == CgroupVersion.V2) {
                enableControllers(hierarchies.get(0), kubepods(node) + "/burstable");
                enableControllers(hierarchies.get(0), kubepods(node) + "/besteffort");
            }
            return;
        }
        Path root = base.resolve(node);
        write(root, "cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc");
        write(root, "cgroup.subtree_control", "cpu io memory");
        for (String rel : List.of("kubepods.slice", "kubepods.slice/kubepods-burstable.slice",
                "kubepods.slice/kubepods-besteffort.slice")) {
            V2_PARENT_FILES.forEach((name, content) -> write(root.resolve(rel), name, content));
        }
    }

    /** Creates a pod's cgroup, as the kubelet does when it starts the pod. */
    public void podStarted(String node, String uid, QosClass qos) {
        String rel = locator(node).expectedPath(qos, uid);
        if (real) {
            for (Path h : hierarchies) {
                mkdirs(h.resolve(rel));
            }
            return;
        }
        Path dir = base.resolve(node).resolve(rel);
        if (!Files.isDirectory(dir)) {
            V2_POD_FILES.forEach((name, content) -> write(dir, name, content));
        }
    }

    /** Removes a pod's cgroup, as the kubelet does once the pod is gone. */
    public void podGone(String node, String uid, QosClass qos) {
        String rel = locator(node).expectedPath(qos, uid);
        if (real) {
            for (Path h : hierarchies) {
                rmdir(h.resolve(rel));
            }
            return;
        }
        LocalCluster.deleteTree(base.resolve(node).resolve(rel));
    }

    private PodCgroupLocator locator(String node) {
        CgroupLayout layout;
        if (real && version == CgroupVersion.V1) {
            Map<Controller, Path> roots = new EnumMap<>(Controller.class);
            for (Path h : hierarchies) {
                for (Controller c : Controller.values()) {
                    if (h.getFileName().toString().equals(c.v1Name())) {
                        roots.put(c, h);
                    }
                }
            }
            layout = new CgroupLayout(CgroupVersion.V1, CgroupDriver.CGROUPFS, Path.of("/sys/fs/cgroup"), roots,
                    kubepods(node));
        } else if (real) {
            layout = new CgroupLayout(CgroupVersion.V2, CgroupDriver.CGROUPFS, hierarchies.get(0), Map.of(),
                    kubepods(node));
        } else {
            layout = new CgroupLayout(CgroupVersion.V2, CgroupDriver.SYSTEMD, base.resolve(node), Map.of(),
                    "kubepods.slice");
        }
        return new PodCgroupLocator(layout);
    }

    /** Removes everything it created (real cgroups: bottom-up rmdir, they hold no processes). */
    @Override
    public void close() {
        if (!real) {
            LocalCluster.deleteTree(base);
            return;
        }
        for (Path h : hierarchies) {
            Path top = h.resolve(base);
            if (!Files.isDirectory(top)) {
                continue;
            }
            try (var s = Files.walk(top)) {
                s.filter(Files::isDirectory).sorted(java.util.Comparator.reverseOrder()).forEach(KubeletCgroups::rmdir);
            } catch (IOException | UncheckedIOException e) {
                // what is left is reported by the next rmdir attempt's absence of effect; nothing to do
            }
        }
    }

    private static void enableControllers(Path root, String rel) {
        Path p = root;
        for (Path part : Path.of(rel)) {
            try {
                Files.writeString(p.resolve("cgroup.subtree_control"), "+cpu +memory +io");
            } catch (IOException e) {
                // a controller may be unavailable; the agent reports what it cannot enforce
            }
            p = p.resolve(part);
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create cgroup " + dir, e);
        }
    }

    private static void rmdir(Path dir) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // busy (a process moved in) or already gone
        }
    }

    private static void write(Path dir, String name, String content) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
