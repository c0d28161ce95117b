package io.respool.engine;

/** What a workload is: it decides share presets, default limits and which nodes may run it. */
public enum WorkloadKind {
    VIRTUAL_MACHINE("VirtualMachine"),
    CONTAINER("Container");

    private final String kindName;

    WorkloadKind(String kindName) {
        this.kindName = kindName;
    }

    /** The Kubernetes kind name. */
    public String kindName() {
        return kindName;
    }

    public static WorkloadKind fromKindName(String kind) {
        for (WorkloadKind k : values()) {
            if (k.kindName.equals(kind)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown workload kind \"" + kind + "\"");
    }
}
