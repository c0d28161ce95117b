package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import io.respool.api.schema.ConditionSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Status fields shared by VirtualMachine and Container. Written by the operator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class WorkloadStatusFields {

    /** Condition type telling whether the workload holds its reservation. */
    public static final String ADMITTED = "Admitted";

    @JsonPropertyDescription("The metadata.generation this status was computed from.")
    private Long observedGeneration;

    @JsonPropertyDescription("Standard conditions: Ready, Admitted (holds its reservation), Placed (has"
            + " a node), Enforced (the node agent applied its cgroup values).")
    @SchemaFrom(type = ConditionSchema[].class)
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Short summary: Pending, Refused, Running, Stopped or Failed.")
    private String phase;

    @JsonPropertyDescription("The node it was placed on. Once admitted it keeps its node.")
    private String node;

    @JsonPropertyDescription("Figures per dimension (cpu, memory, diskIOPS, diskBandwidth,"
            + " networkEgress, networkIngress).")
    private Map<String, WorkloadResourceStatus> resources = new LinkedHashMap<>();

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public String getPhase() {
        return phase;
    }

    public void setPhase(String phase) {
        this.phase = phase;
    }

    public String getNode() {
        return node;
    }

    public void setNode(String node) {
        this.node = node;
    }

    public Map<String, WorkloadResourceStatus> getResources() {
        return resources;
    }

    public void setResources(Map<String, WorkloadResourceStatus> resources) {
        this.resources = resources;
    }
}
