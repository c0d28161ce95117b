package io.respool.agent.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Finds out how a node's cgroups are laid out below a configurable root, the way the kubelet
 * decides it: the root is cgroup v2 when it is itself a unified hierarchy (it has
 * {@code cgroup.controllers}); otherwise v1, with one directory per controller ({@code cpu},
 * {@code memory}, or co-mounted ones such as {@code cpu,cpuacct}). A systemd "hybrid" node (v1
 * controllers plus an empty unified mount at {@code unified}) is v1, as it is for the kubelet.
 *
 * <p>The kubelet's pods cgroup is {@code kubepods.slice} (systemd driver) or {@code kubepods}
 * (cgroupfs), possibly one level down in nested setups ({@code kubelet.slice/kubelet-kubepods.slice},
 * {@code kubelet/kubepods}). Its name tells the driver unless one is configured.
 */
public final class CgroupDiscovery {

    private CgroupDiscovery() {
    }

    /**
     * @param root              the cgroup root, normally {@code /sys/fs/cgroup}
     * @param driverOverride    the kubelet's driver if known, else null (detected from names)
     * @param kubepodsOverride  the pods cgroup relative to each hierarchy root if known, else null
     * @throws CgroupException when the root holds neither a v2 nor a v1 hierarchy, or the
     *                         configured pods cgroup does not exist
     */
    public static CgroupLayout discover(Path root, CgroupDriver driverOverride, String kubepodsOverride)
            throws CgroupException {
        if (!Files.isDirectory(root)) {
            throw new CgroupException("cgroup root " + root + " is not a directory");
        }
        CgroupLayout bare;
        if (Files.isRegularFile(root.resolve("cgroup.controllers"))) {
            bare = new CgroupLayout(CgroupVersion.V2, CgroupDriver.CGROUPFS, root, Map.of(), null);
        } else {
            Map<Controller, Path> roots = v1Controllers(root);
            if (roots.isEmpty()) {
                throw new CgroupException("no cgroup hierarchy at " + root + ": neither cgroup.controllers (v2)"
                        + " nor a cpu, cpuacct, memory or blkio controller directory (v1)");
            }
            bare = new CgroupLayout(CgroupVersion.V1, CgroupDriver.CGROUPFS, root, roots, null);
        }
        return withKubepods(bare, driverOverride, kubepodsOverride);
    }

    /** Looks for the kubelet's pods cgroup again (it may appear after the agent starts). */
    public static CgroupLayout withKubepods(CgroupLayout layout, CgroupDriver driverOverride,
                                            String kubepodsOverride) throws CgroupException {
        Path reference = layout.referenceHierarchy().orElse(null);
        if (reference == null) {
            return layout;
        }
        if (kubepodsOverride != null && !kubepodsOverride.isBlank()) {
            String rel = trimSlashes(kubepodsOverride);
            if (rel.isEmpty() || rel.contains("..")) {
                throw new CgroupException("kubepods cgroup \"" + kubepodsOverride + "\" is not a path below the root");
            }
            if (!Files.isDirectory(reference.resolve(rel))) {
                throw new CgroupException("kubepods cgroup " + reference.resolve(rel) + " does not exist");
            }
            return layout.withKubepods(rel, driverOverride != null ? driverOverride : driverOf(rel));
        }
        String found = findKubepods(reference);
        CgroupDriver driver = driverOverride != null ? driverOverride
                : found != null ? driverOf(found) : layout.driver();
        return layout.withKubepods(found, driver);
    }

    private static Map<Controller, Path> v1Controllers(Path root) throws CgroupException {
        Map<Controller, Path> roots = new EnumMap<>(Controller.class);
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(Files::isDirectory).sorted().forEach(dirs::add);
        } catch (IOException e) {
            throw new CgroupException("cannot list cgroup root " + root + ": " + e.getMessage());
        }
        for (Controller c : Controller.values()) {
            Path exact = root.resolve(c.v1Name());
            if (Files.isRegularFile(exact.resolve("cgroup.procs"))) {
                roots.put(c, exact);
                continue;
            }
            for (Path dir : dirs) {
                List<String> names = List.of(dir.getFileName().toString().split(","));
                if (names.contains(c.v1Name()) && Files.isRegularFile(dir.resolve("cgroup.procs"))) {
                    roots.put(c, dir);
                    break;
                }
            }
        }
        return roots;
    }

    private static String findKubepods(Path hierarchy) {
        for (String name : List.of("kubepods.slice", "kubepods")) {
            if (Files.isDirectory(hierarchy.resolve(name))) {
                return name;
            }
        }
        // Nested setups: one level down (e.g. kind's kubelet.slice/kubelet-kubepods.slice).
        try (Stream<Path> s = Files.list(hierarchy)) {
            for (Path dir : s.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> inner = Files.list(dir)) {
                    for (Path child : inner.filter(Files::isDirectory).sorted().toList()) {
                        String n = child.getFileName().toString();
                        if (n.equals("kubepods") || n.endsWith("-kubepods.slice")) {
                            return dir.getFileName() + "/" + n;
                        }
                    }
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static CgroupDriver driverOf(String kubepods) {
        return kubepods.endsWith(".slice") ? CgroupDriver.SYSTEMD : CgroupDriver.CGROUPFS;
    }

    private static String trimSlashes(String s) {
        String t = s.trim();
        while (t.startsWith("/")) {
            t = t.substring(1);
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }
}
