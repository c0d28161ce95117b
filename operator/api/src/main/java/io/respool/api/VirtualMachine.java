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
 * A virtual machine (run by KubeVirt) governed by a resource pool: vCPUs, memory size, and
 * reservation / limit / shares per dimension, as on a hypervisor.
 */
@Group(ResourcePool.GROUP)
@Version(ResourcePool.VERSION)
@Kind("VirtualMachine")
@Singular("virtualmachine")
@Plural("virtualmachines")
@ShortNames("rvm")
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
public class VirtualMachine extends CustomResource<VirtualMachineSpec, VirtualMachineStatus>
        implements Namespaced {

    @Override
    @JsonPropertyDescription("The desired VM: vCPUs, memory size, reservation / limit / shares per"
            + " dimension, operating system, disks, cloud-init and whether it runs.")
    public VirtualMachineSpec getSpec() {
        return super.getSpec();
    }

    @Override
    @JsonPropertyDescription("What the operator observed and computed: admission, node, phase,"
            + " per-dimension figures and conditions. Written by the operator only.")
    public VirtualMachineStatus getStatus() {
        return super.getStatus();
    }
}
