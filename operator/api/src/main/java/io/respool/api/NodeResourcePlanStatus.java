package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import io.respool.api.schema.ConditionSchema;
import java.util.ArrayList;
import java.util.List;

/** What the node agent found and did on its node. Written by the agent only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeResourcePlanStatus {

    /** Condition type: the agent applied the plan of this generation. */
    public static final String READY = "Ready";
    /** Condition type: every target in play is enforced by the node. */
    public static final String ENFORCED = "Enforced";

    @JsonPropertyDescription("The metadata.generation of the plan the agent last applied.")
    private Long observedGeneration;

    @JsonPropertyDescription("cgroup hierarchy version found on the node: v1 or v2.")
    @Pattern("^(v1|v2)$")
    private String cgroupVersion;

    @JsonPropertyDescription("cgroup driver of the node's container runtime: cgroupfs or systemd.")
    @Pattern("^(cgroupfs|systemd)$")
    private String cgroupDriver;

    @JsonPropertyDescription("Number of workloads of the plan the agent handled (the length of"
            + " workloads; shown by kubectl get).")
    private Integer workloadCount;

    @JsonPropertyDescription("Per workload of the plan: its cgroup, the values applied, usage, demand"
            + " and enforcement.")
    private List<AppliedWorkload> workloads = new ArrayList<>();

    @JsonPropertyDescription("Standard conditions: Ready (the plan of observedGeneration is applied)"
            + " and Enforced (every target in play is enforced on this node).")
    @SchemaFrom(type = ConditionSchema[].class)
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("When the agent last wrote or verified the cgroup values (RFC 3339).")
    private String lastAppliedTime;

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public String getCgroupVersion() {
        return cgroupVersion;
    }

    public void setCgroupVersion(String cgroupVersion) {
        this.cgroupVersion = cgroupVersion;
    }

    public String getCgroupDriver() {
        return cgroupDriver;
    }

    public void setCgroupDriver(String cgroupDriver) {
        this.cgroupDriver = cgroupDriver;
    }

    public Integer getWorkloadCount() {
        return workloadCount;
    }

    public void setWorkloadCount(Integer workloadCount) {
        this.workloadCount = workloadCount;
    }

    public List<AppliedWorkload> getWorkloads() {
        return workloads;
    }

    public void setWorkloads(List<AppliedWorkload> workloads) {
        this.workloads = workloads;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public String getLastAppliedTime() {
        return lastAppliedTime;
    }

    public void setLastAppliedTime(String lastAppliedTime) {
        this.lastAppliedTime = lastAppliedTime;
    }
}
