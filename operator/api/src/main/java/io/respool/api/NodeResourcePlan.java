package io.respool.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The contract between the operator and the node agent for one node, named like the node.
 * The operator writes {@code spec} (each workload placed there, its pod UID and its canonical
 * targets per dimension); the agent on that node writes {@code status} (cgroup layout, the values
 * it applied, usage, demand and what it could not enforce). Cluster-scoped.
 */
@Group(ResourcePool.GROUP)
@Version(ResourcePool.VERSION)
@Kind("NodeResourcePlan")
@Singular("noderesourceplan")
@Plural("noderesourceplans")
@ShortNames("nrp")
@Categories("respool")
@ValidationRule(value = "!has(self.spec) || self.spec.nodeName == self.metadata.name",
        messageExpression = "'spec.nodeName \"' + self.spec.nodeName + '\" differs from the object name \"'"
                + " + self.metadata.name + '\": a NodeResourcePlan is named like its node'",
        fieldPath = ".spec.nodeName")
// The CRD generator sorts printer columns by jsonPath (so Age, on .metadata, always comes first).
// ".x['y']" is the same path as ".x.y" but sorts after every ".x.z": it keeps the columns in reading order.
@AdditionalPrinterColumn(name = "Workloads", jsonPath = ".status.workloadCount", type = AdditionalPrinterColumn.Type.INTEGER,
        getDescription = "Workloads of the plan the agent handled")
@AdditionalPrinterColumn(name = "Cgroup", jsonPath = ".status['cgroupVersion']",
        getDescription = "cgroup version found on the node: v1 or v2")
@AdditionalPrinterColumn(name = "Driver", jsonPath = ".status['cgroupDriver']", priority = 1,
        getDescription = "cgroup driver: cgroupfs or systemd")
@AdditionalPrinterColumn(name = "Enforced", jsonPath = ".status['conditions'][?(@.type==\"Enforced\")].status", priority = 1,
        getDescription = "Whether every target in play is enforced")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class NodeResourcePlan extends CustomResource<NodeResourcePlanSpec, NodeResourcePlanStatus> {

    @Override
    @JsonPropertyDescription("What the agent on the node must enforce: each workload placed there, its"
            + " pod and its targets. Written by the operator only.")
    public NodeResourcePlanSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("What the agent found and did: cgroup layout, applied values, usage,"
            + " demand and enforcement. Written by the node agent only.")
    public NodeResourcePlanStatus getStatus() {
        return super.getStatus();
    }
}
