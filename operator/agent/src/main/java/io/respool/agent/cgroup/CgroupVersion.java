package io.respool.agent.cgroup;

/** The cgroup hierarchy a node runs: v1 (one hierarchy per controller) or v2 (unified). */
public enum CgroupVersion {
    V1("v1"),
    V2("v2");

    private final String label;

    CgroupVersion(String label) {
        this.label = label;
    }

    /** "v1" or "v2", as reported in the plan's status. */
    public String label() {
        return label;
    }
}
