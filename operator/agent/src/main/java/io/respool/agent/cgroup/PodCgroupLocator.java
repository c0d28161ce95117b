package io.respool.agent.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a pod's cgroup by UID where the kubelet puts it, for every QoS class and both drivers:
 *
 * <pre>
 *   cgroupfs: kubepods/pod&lt;uid&gt;                    (Guaranteed)
 *             kubepods/burstable/pod&lt;uid&gt;
 *             kubepods/besteffort/pod&lt;uid&gt;
 *   systemd:  kubepods.slice/kubepods-pod&lt;uid_&gt;.slice
 *             kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod&lt;uid_&gt;.slice
 *             kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod&lt;uid_&gt;.slice
 * </pre>
 *
 * where {@code uid_} is the UID with '-' replaced by '_' (systemd reserves '-' for nesting). A
 * nested pods cgroup ({@code kubelet.slice/kubelet-kubepods.slice}) prefixes every slice name
 * the same way. KubeVirt VMs run in their virt-launcher pod, so they are found the same way.
 *
 * <p>A UID is accepted only if it looks like one (hex digits and dashes), so a plan can never
 * steer the agent outside the kubelet's pods cgroup.
 */
public final class PodCgroupLocator {

    private static final Pattern UID = Pattern.compile("[0-9a-fA-F][0-9a-fA-F-]{7,63}");

    private final CgroupLayout layout;

    public PodCgroupLocator(CgroupLayout layout) {
        this.layout = layout;
    }

    public CgroupLayout layout() {
        return layout;
    }

    /** Whether {@code uid} is acceptable as a pod UID (and so as part of a cgroup name). */
    public static boolean validUid(String uid) {
        return uid != null && UID.matcher(uid).matches();
    }

    /**
     * The pod's cgroup, or empty when it is not on this node (or not created yet).
     *
     * @throws IllegalArgumentException when {@code uid} does not look like a pod UID
     */
    public Optional<PodCgroup> locate(String uid) {
        if (!validUid(uid)) {
            throw new IllegalArgumentException("\"" + uid + "\" is not a pod UID");
        }
        Path hierarchy = layout.referenceHierarchy().orElse(null);
        if (hierarchy == null || layout.kubepods() == null) {
            return Optional.empty();
        }
        for (QosClass qos : QosClass.values()) {
            String rel = expectedPath(qos, uid);
            if (Files.isDirectory(hierarchy.resolve(rel))) {
                return Optional.of(new PodCgroup(uid, qos, rel, layout));
            }
        }
        return search(hierarchy, uid);
    }

    /** Where the kubelet puts a pod of this QoS class and UID, relative to a hierarchy root. */
    public String expectedPath(QosClass qos, String uid) {
        String kubepods = layout.kubepods();
        if (layout.driver() == CgroupDriver.CGROUPFS) {
            String pod = "pod" + uid;
            return qos == QosClass.GUARANTEED ? kubepods + "/" + pod
                    : kubepods + "/" + qos.cgroupName() + "/" + pod;
        }
        String base = sliceBase(kubepods);
        String pod = "pod" + uid.replace('-', '_');
        if (qos == QosClass.GUARANTEED) {
            return kubepods + "/" + base + "-" + pod + ".slice";
        }
        String qosBase = base + "-" + qos.cgroupName();
        return kubepods + "/" + qosBase + ".slice/" + qosBase + "-" + pod + ".slice";
    }

    /** Fallback for unusual layouts: a directory named after the pod at most two levels down. */
    private Optional<PodCgroup> search(Path hierarchy, String uid) {
        Path kubepods = hierarchy.resolve(layout.kubepods());
        List<String> names = List.of("pod" + uid, "pod" + uid.replace('-', '_'));
        List<Path> hits = new ArrayList<>();
        try (Stream<Path> s = Files.walk(kubepods, 2)) {
            s.filter(Files::isDirectory).filter(p -> !p.equals(kubepods)).forEach(p -> {
                String n = p.getFileName().toString();
                for (String name : names) {
                    if (n.equals(name) || n.endsWith("-" + name + ".slice")) {
                        hits.add(p);
                    }
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
        if (hits.size() != 1) {
            return Optional.empty();
        }
        Path found = hits.get(0);
        String rel = hierarchy.relativize(found).toString();
        String parent = found.getParent().getFileName().toString();
        QosClass qos = parent.contains("besteffort") ? QosClass.BEST_EFFORT
                : parent.contains("burstable") ? QosClass.BURSTABLE : QosClass.GUARANTEED;
        return Optional.of(new PodCgroup(uid, qos, rel, layout));
    }

    private static String sliceBase(String kubepods) {
        String last = kubepods.substring(kubepods.lastIndexOf('/') + 1);
        return last.endsWith(".slice") ? last.substring(0, last.length() - ".slice".length()) : last;
    }
}
