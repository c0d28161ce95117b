package io.respool.api;

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
public class NodeResourcePlan extends CustomResource<NodeResourcePlanSpec, NodeResourcePlanStatus> {
}
