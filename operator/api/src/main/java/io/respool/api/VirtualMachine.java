package io.respool.api;

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
public class VirtualMachine extends CustomResource<VirtualMachineSpec, VirtualMachineStatus>
        implements Namespaced {
}
