package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

/** What the agent on one node must enforce. Written by the operator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeResourcePlanSpec {

    @JsonPropertyDescription("Name of the Node this plan is for (the object has the same name).")
    @Required
    private String nodeName;

    @JsonPropertyDescription("Every respool workload placed on this node, with the targets its pod's"
            + " cgroup must get.")
    private List<PlannedWorkload> workloads = new ArrayList<>();

    public NodeResourcePlanSpec() {
    }

    public NodeResourcePlanSpec(String nodeName, List<PlannedWorkload> workloads) {
        this.nodeName = nodeName;
        this.workloads = workloads;
    }

    public String getNodeName() {
        return nodeName;
    }

    public void setNodeName(String nodeName) {
        this.nodeName = nodeName;
    }

    public List<PlannedWorkload> getWorkloads() {
        return workloads;
    }

    public void setWorkloads(List<PlannedWorkload> workloads) {
        this.workloads = workloads;
    }
}
