package io.respool.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.respool.engine.CgroupRenderer;
import io.respool.engine.Dimension;
import java.util.EnumMap;
import java.util.Map;

/**
 * One workload in a {@link NodeResourcePlan}: whose pod cgroup to configure and its targets per
 * dimension. A dimension that is not in play is absent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlannedWorkload {

    public static final String VIRTUAL_MACHINE = "VirtualMachine";
    public static final String CONTAINER = "Container";

    @JsonPropertyDescription("Kind of the respool workload: VirtualMachine or Container.")
    @Required
    @Pattern("^(VirtualMachine|Container)$")
    private String kind;

    @JsonPropertyDescription("Namespace of the workload.")
    @Required
    private String namespace;

    @JsonPropertyDescription("Name of the workload.")
    @Required
    private String name;

    @JsonPropertyDescription("Name of the ResourcePool the workload belongs to; absent: the root pool.")
    private String pool;

    @JsonPropertyDescription("UID of the pod whose cgroup gets the targets (for a VirtualMachine its"
            + " virt-launcher pod); absent until that pod exists.")
    private String podUID;

    @JsonPropertyDescription("cpu targets, in millicores.")
    private NodeTarget cpu;

    @JsonPropertyDescription("Memory targets, in bytes.")
    private NodeTarget memory;

    @JsonPropertyDescription("Disk I/O targets, in operations per second.")
    private NodeTarget diskIOPS;

    @JsonPropertyDescription("Disk throughput targets, in bytes per second.")
    private NodeTarget diskBandwidth;

    @JsonPropertyDescription("Outgoing network targets, in bits per second.")
    private NodeTarget networkEgress;

    @JsonPropertyDescription("Incoming network targets, in bits per second.")
    private NodeTarget networkIngress;

    @JsonPropertyDescription("VirtualMachine only: KubeVirt's estimate of the memory its virt-launcher pod"
            + " needs besides the guest memory (QEMU, libvirt, page tables), in bytes. The agent adds it to"
            + " the memory cap it writes on the pod's cgroup (memory.max, memory.high, memory.limit_in_bytes),"
            + " not to the reservation. Absent: none.")
    @Min(0)
    private Long memoryOverhead;

    public PlannedWorkload() {
    }

    public PlannedWorkload(String kind, String namespace, String name, String pool, String podUID) {
        this.kind = kind;
        this.namespace = namespace;
        this.name = name;
        this.pool = pool;
        this.podUID = podUID;
    }

    /** The target of one dimension, null when that dimension is not in play. */
    public NodeTarget target(Dimension dimension) {
        return switch (dimension) {
            case CPU -> cpu;
            case MEMORY -> memory;
            case DISK_IOPS -> diskIOPS;
            case DISK_BANDWIDTH -> diskBandwidth;
            case NETWORK_EGRESS -> networkEgress;
            case NETWORK_INGRESS -> networkIngress;
        };
    }

    /** Sets (or with null clears) the target of one dimension. */
    public void setTarget(Dimension dimension, NodeTarget target) {
        switch (dimension) {
            case CPU -> cpu = target;
            case MEMORY -> memory = target;
            case DISK_IOPS -> diskIOPS = target;
            case DISK_BANDWIDTH -> diskBandwidth = target;
            case NETWORK_EGRESS -> networkEgress = target;
            case NETWORK_INGRESS -> networkIngress = target;
        }
    }

    /**
     * The targets in play, in engine form, as the engine computed them. The agent renders them with
     * {@link CgroupRenderer#render(Map)} after adding {@link #getMemoryOverhead()} to a VM's memory cap.
     */
    @JsonIgnore
    public Map<Dimension, CgroupRenderer.Target> engineTargets() {
        Map<Dimension, CgroupRenderer.Target> targets = new EnumMap<>(Dimension.class);
        for (Dimension d : Dimension.values()) {
            NodeTarget t = target(d);
            if (t != null) {
                targets.put(d, t.toEngine());
            }
        }
        return targets;
    }

    /** Replaces all targets with the engine's; dimensions missing from the map are cleared. */
    public void replaceTargets(Map<Dimension, CgroupRenderer.Target> targets) {
        for (Dimension d : Dimension.values()) {
            CgroupRenderer.Target t = targets.get(d);
            setTarget(d, t == null ? null : NodeTarget.from(t));
        }
    }

    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getPool() {
        return pool;
    }

    public void setPool(String pool) {
        this.pool = pool;
    }

    public String getPodUID() {
        return podUID;
    }

    public void setPodUID(String podUID) {
        this.podUID = podUID;
    }

    public NodeTarget getCpu() {
        return cpu;
    }

    public void setCpu(NodeTarget cpu) {
        this.cpu = cpu;
    }

    public NodeTarget getMemory() {
        return memory;
    }

    public void setMemory(NodeTarget memory) {
        this.memory = memory;
    }

    public NodeTarget getDiskIOPS() {
        return diskIOPS;
    }

    public void setDiskIOPS(NodeTarget diskIOPS) {
        this.diskIOPS = diskIOPS;
    }

    public NodeTarget getDiskBandwidth() {
        return diskBandwidth;
    }

    public void setDiskBandwidth(NodeTarget diskBandwidth) {
        this.diskBandwidth = diskBandwidth;
    }

    public NodeTarget getNetworkEgress() {
        return networkEgress;
    }

    public void setNetworkEgress(NodeTarget networkEgress) {
        this.networkEgress = networkEgress;
    }

    public Long getMemoryOverhead() {
        return memoryOverhead;
    }

    public void setMemoryOverhead(Long memoryOverhead) {
        this.memoryOverhead = memoryOverhead;
    }

    public NodeTarget getNetworkIngress() {
        return networkIngress;
    }

    public void setNetworkIngress(NodeTarget networkIngress) {
        this.networkIngress = networkIngress;
    }
}
