package io.respool.agent.cgroup;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A pod's cgroup, found by its UID.
 *
 * @param podUid       the pod's UID
 * @param qos          the QoS class its location tells
 * @param relativePath path below each hierarchy root, e.g. {@code kubepods/burstable/pod<uid>}
 * @param layout       the node's layout (hierarchy roots)
 */
public record PodCgroup(String podUid, QosClass qos, String relativePath, CgroupLayout layout) {

    /** The pod's directory in the hierarchy holding {@code controller}, if that one is available. */
    public Optional<Path> dir(Controller controller) {
        return layout.hierarchy(controller).map(h -> h.resolve(relativePath));
    }

    /**
     * The cgroup directories strictly between the hierarchy root and the pod, nearest first
     * ({@code kubepods/burstable}, then {@code kubepods}), in {@code hierarchy}.
     */
    public java.util.List<Path> ancestors(Path hierarchy) {
        java.util.List<Path> out = new java.util.ArrayList<>();
        Path rel = Path.of(relativePath).getParent();
        while (rel != null) {
            out.add(hierarchy.resolve(rel.toString()));
            rel = rel.getParent();
        }
        return out;
    }
}
