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
 * A node of the pool tree, like a vSphere resource pool: reservation, limit and shares per
 * dimension for everything below it. Cluster-scoped; pools nest through {@code spec.parent}.
 */
@Group(ResourcePool.GROUP)
@Version(ResourcePool.VERSION)
@Kind("ResourcePool")
@Singular("resourcepool")
@Plural("resourcepools")
@ShortNames("rp")
@Categories("respool")
@ValidationRule(value = "!has(self.spec) || !has(self.spec.parent) || self.spec.parent != self.metadata.name",
        messageExpression = "'spec.parent \"' + self.spec.parent + '\" is the pool itself: a pool cannot be"
                + " its own parent; name another ResourcePool, or omit parent to hang it under the root'",
        fieldPath = ".spec.parent")
// The CRD generator sorts printer columns by jsonPath (so Age, on .metadata, always comes first).
// ".x['y']" is the same path as ".x.y" but sorts after every ".x.z": it keeps the columns in reading order.
@AdditionalPrinterColumn(name = "Parent", jsonPath = ".spec.parent", priority = 1,
        getDescription = "Parent pool; empty: the root")
@AdditionalPrinterColumn(name = "CPU Reserved", jsonPath = ".status.resources.cpu.used",
        getDescription = "cpu reserved by admitted workloads and child pools")
@AdditionalPrinterColumn(name = "CPU Available", jsonPath = ".status.resources.cpu['available']",
        getDescription = "cpu a new workload could still reserve here")
@AdditionalPrinterColumn(name = "CPU Entitled", jsonPath = ".status.resources.cpu['entitlement']",
        getDescription = "cpu the pool should get now")
@AdditionalPrinterColumn(name = "Memory Reserved", jsonPath = ".status.resources.memory.used",
        getDescription = "Memory reserved by admitted workloads and child pools")
@AdditionalPrinterColumn(name = "Memory Available", jsonPath = ".status.resources.memory['available']",
        getDescription = "Memory a new workload could still reserve here")
@AdditionalPrinterColumn(name = "Memory Entitled", jsonPath = ".status.resources.memory['entitlement']",
        getDescription = "Memory the pool should get now")
@AdditionalPrinterColumn(name = "Health", jsonPath = ".status['health']",
        getDescription = "Worst health over all dimensions: Valid, Overcommitted or Invalid")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class ResourcePool extends CustomResource<ResourcePoolSpec, ResourcePoolStatus> {

    public static final String GROUP = "respool.io";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    @Override
    @JsonPropertyDescription("What the pool promises (reservation), caps (limit) and weighs (shares) per"
            + " dimension for everything below it, its parent and who may use it.")
    public ResourcePoolSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("What the operator computed for the pool: per-dimension figures, health and"
            + " conditions. Written by the operator only.")
    public ResourcePoolStatus getStatus() {
        return super.getStatus();
    }
}
