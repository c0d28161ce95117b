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
public class Container extends CustomResource<ContainerSpec, ContainerStatus> implements Namespaced {
}
