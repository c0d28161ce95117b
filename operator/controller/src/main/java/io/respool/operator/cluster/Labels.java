package io.respool.operator.cluster;

/** Labels and annotations respool puts on the objects it owns, and how it recognises them. */
public final class Labels {

    /** On a Pod owned by a {@code Container}: the Container's name. */
    public static final String CONTAINER = "respool.io/container";
    /**
     * On a KubeVirt VirtualMachine owned by a respool {@code VirtualMachine}, and on its template, so
     * that KubeVirt copies it to the VirtualMachineInstance and its virt-launcher pod: the VM's name.
     */
    public static final String VIRTUAL_MACHINE = "respool.io/virtualmachine";
    /** The pool a workload draws from (absent: the root pool). */
    public static final String POOL = "respool.io/pool";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_VALUE = "respool";
    /** Hash of the desired spec of an owned object: a different hash means the object is outdated. */
    public static final String SPEC_HASH = "respool.io/spec-hash";
    /** The node label required node affinity uses, when the node carries it. */
    public static final String HOSTNAME = "kubernetes.io/hostname";
    /** Field manager of every server-side apply respool makes. */
    public static final String FIELD_MANAGER = "respool";

    private Labels() {
    }
}
