package io.respool.agent.cgroup;

import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a node's cgroups are: the version, the kubelet's driver, the hierarchy root of each
 * controller, and the kubelet's top-level pods cgroup.
 *
 * @param version   v1 or v2
 * @param driver    the kubelet's naming scheme
 * @param root      the configured cgroup root (the unified mount on v2, the parent of the
 *                  controller mounts on v1)
 * @param v1Roots   v1 only: each mounted controller's hierarchy root; a controller absent here is
 *                  not mounted
 * @param kubepods  the kubelet's pods cgroup relative to each hierarchy root ("kubepods",
 *                  "kubepods.slice", or nested such as "kubelet.slice/kubelet-kubepods.slice");
 *                  null when none was found
 */
public record CgroupLayout(CgroupVersion version, CgroupDriver driver, Path root,
                           Map<Controller, Path> v1Roots, String kubepods) {

    public CgroupLayout {
        v1Roots = v1Roots == null || v1Roots.isEmpty()
                ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(v1Roots));
    }

    /** The hierarchy root holding a controller's files, if that controller is available. */
    public Optional<Path> hierarchy(Controller controller) {
        if (version == CgroupVersion.V2) {
            return Optional.of(root);
        }
        return Optional.ofNullable(v1Roots.get(controller));
    }

    /**
     * The hierarchy used to find pods: the unified one on v2; on v1 the cpu hierarchy, else memory
     * (the kubelet creates the same path in every hierarchy).
     */
    public Optional<Path> referenceHierarchy() {
        if (version == CgroupVersion.V2) {
            return Optional.of(root);
        }
        return hierarchy(Controller.CPU).or(() -> hierarchy(Controller.MEMORY));
    }

    public CgroupLayout withKubepods(String kubepods, CgroupDriver driver) {
        return new CgroupLayout(version, driver, root, v1Roots, kubepods);
    }
}
