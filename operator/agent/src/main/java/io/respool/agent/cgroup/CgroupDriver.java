package io.respool.agent.cgroup;

import java.util.Locale;

/**
 * How the kubelet names cgroups. cgroupfs: {@code kubepods/burstable/pod<uid>}; systemd:
 * {@code kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid with _>.slice}.
 */
public enum CgroupDriver {
    CGROUPFS("cgroupfs"),
    SYSTEMD("systemd");

    private final String label;

    CgroupDriver(String label) {
        this.label = label;
    }

    /** "cgroupfs" or "systemd", as the kubelet's cgroupDriver setting spells it. */
    public String label() {
        return label;
    }

    /** Parses "cgroupfs" or "systemd" (any case). */
    public static CgroupDriver parse(String text) {
        for (CgroupDriver d : values()) {
            if (d.label.equals(text.trim().toLowerCase(Locale.ROOT))) {
                return d;
            }
        }
        throw new IllegalArgumentException("cgroup driver \"" + text + "\" is not valid: use cgroupfs or systemd");
    }
}
