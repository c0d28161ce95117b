package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the node agent did for one workload of its plan. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AppliedWorkload {

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

    @JsonPropertyDescription("UID of the pod whose cgroup was configured.")
    private String podUID;

    @JsonPropertyDescription("Whether the pod's cgroup was found on the node.")
    private boolean found;

    @JsonPropertyDescription("Path of the pod's cgroup, relative to the cgroup mount (for v1: in the"
            + " cpu controller's hierarchy).")
    private String cgroupPath;

    @JsonPropertyDescription("cgroup file name (e.g. cpu.weight) to the value last written or verified.")
    private Map<String, String> applied = new LinkedHashMap<>();

    @JsonPropertyDescription("Resource usage measured in the pod's cgroup.")
    private WorkloadUsage usage;

    @JsonPropertyDescription("Estimated demand fed back into the entitlement computation.")
    private WorkloadDemand demand;

    @JsonPropertyDescription("Per dimension in play: whether the node enforces it, and if not, why.")
    private List<DimensionEnforcement> enforcement = new ArrayList<>();

    public AppliedWorkload() {
    }

    public AppliedWorkload(String kind, String namespace, String name, String podUID) {
        this.kind = kind;
        this.namespace = namespace;
        this.name = name;
        this.podUID = podUID;
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

    public String getPodUID() {
        return podUID;
    }

    public void setPodUID(String podUID) {
        this.podUID = podUID;
    }

    public boolean isFound() {
        return found;
    }

    public void setFound(boolean found) {
        this.found = found;
    }

    public String getCgroupPath() {
        return cgroupPath;
    }

    public void setCgroupPath(String cgroupPath) {
        this.cgroupPath = cgroupPath;
    }

    public Map<String, String> getApplied() {
        return applied;
    }

    public void setApplied(Map<String, String> applied) {
        this.applied = applied;
    }

    public WorkloadUsage getUsage() {
        return usage;
    }

    public void setUsage(WorkloadUsage usage) {
        this.usage = usage;
    }

    public WorkloadDemand getDemand() {
        return demand;
    }

    public void setDemand(WorkloadDemand demand) {
        this.demand = demand;
    }

    public List<DimensionEnforcement> getEnforcement() {
        return enforcement;
    }

    public void setEnforcement(List<DimensionEnforcement> enforcement) {
        this.enforcement = enforcement;
    }
}
