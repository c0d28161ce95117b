package io.respool.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An OS-level container in the OpenVZ sense (run as a Pod) governed by a resource pool:
 * image, storage, and reservation / limit / shares per dimension.
 */
@Group(ResourcePool.GROUP)
@Version(ResourcePool.VERSION)
@Kind("Container")
@Singular("container")
@Plural("containers")
@ShortNames("rct")
@Categories("respool")
@AdditionalPrinterColumn(name = "Pool", jsonPath = ".spec.pool",
        getDescription = "ResourcePool it draws from; empty: the root")
@AdditionalPrinterColumn(name = "Node", jsonPath = ".status.node",
        getDescription = "Node it was placed on")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase",
        getDescription = "Pending, Refused, Running, Stopped or Failed")
@AdditionalPrinterColumn(name = "CPU", jsonPath = ".status.resources.cpu.entitlement",
        getDescription = "cpu entitlement: what it should get now")
@AdditionalPrinterColumn(name = "Memory", jsonPath = ".status.resources.memory.entitlement",
        getDescription = "Memory entitlement: what it should get now")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class Container extends CustomResource<ContainerSpec, ContainerStatus> implements Namespaced {

    @Override
    @JsonPropertyDescription("The desired container: image, command, storage, reservation / limit /"
            + " shares per dimension and whether it runs.")
    public ContainerSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("What the operator observed and computed: admission, node, phase,"
            + " per-dimension figures and conditions. Written by the operator only.")
    public ContainerStatus getStatus() {
        return super.getStatus();
    }
}
