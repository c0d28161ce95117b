package io.respool.agent.cgroup;

/** A pod's Kubernetes QoS class, which decides where the kubelet puts its cgroup. */
public enum QosClass {
    /** Directly below kubepods. */
    GUARANTEED(""),
    /** Below kubepods/burstable. */
    BURSTABLE("burstable"),
    /** Below kubepods/besteffort. */
    BEST_EFFORT("besteffort");

    private final String cgroupName;

    QosClass(String cgroupName) {
        this.cgroupName = cgroupName;
    }

    /** The QoS-level cgroup's name ("" for Guaranteed, which has none). */
    public String cgroupName() {
        return cgroupName;
    }
}
