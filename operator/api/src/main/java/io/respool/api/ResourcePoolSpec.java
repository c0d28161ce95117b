package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.respool.api.schema.LabelSelectorSchema;
import java.util.Map;

/** What a pool promises and caps, per dimension, for everything below it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourcePoolSpec {

    @JsonPropertyDescription("Name of the parent ResourcePool. Absent: the pool hangs directly under"
            + " the cluster (the implicit root pool).")
    private String parent;

    @JsonPropertyDescription("CPU allocation, in cores (\"500m\" is half a core).")
    private PoolAllocation cpu;

    @JsonPropertyDescription("Memory allocation, in bytes (\"4Gi\").")
    private PoolAllocation memory;

    @JsonPropertyDescription("Disk allocations: I/O operations per second and bytes per second.")
    private PoolDisk disk;

    @JsonPropertyDescription("Network allocations, in bits per second.")
    private PoolNetwork network;

    @JsonPropertyDescription("Give each child pool shares proportional to the shares of the running"
            + " workloads below it (vSphere's scalable shares), instead of its fixed shares.")
    @Default("false")
    private Boolean scalableShares;

    @JsonPropertyDescription("Node labels that every workload in this pool (and its child pools) must"
            + " run on.")
    private Map<String, String> nodeSelector;

    @JsonPropertyDescription("Namespaces whose workloads may use this pool. Absent: every namespace. A"
            + " child pool is never more open than its parent.")
    @SchemaFrom(type = LabelSelectorSchema.class)
    private LabelSelector namespaceSelector;

    public String getParent() {
        return parent;
    }

    public void setParent(String parent) {
        this.parent = parent;
    }

    public PoolAllocation getCpu() {
        return cpu;
    }

    public void setCpu(PoolAllocation cpu) {
        this.cpu = cpu;
    }

    public PoolAllocation getMemory() {
        return memory;
    }

    public void setMemory(PoolAllocation memory) {
        this.memory = memory;
    }

    public PoolDisk getDisk() {
        return disk;
    }

    public void setDisk(PoolDisk disk) {
        this.disk = disk;
    }

    public PoolNetwork getNetwork() {
        return network;
    }

    public void setNetwork(PoolNetwork network) {
        this.network = network;
    }

    public Boolean getScalableShares() {
        return scalableShares;
    }

    public void setScalableShares(Boolean scalableShares) {
        this.scalableShares = scalableShares;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public LabelSelector getNamespaceSelector() {
        return namespaceSelector;
    }

    public void setNamespaceSelector(LabelSelector namespaceSelector) {
        this.namespaceSelector = namespaceSelector;
    }
}
