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
public class ResourcePool extends CustomResource<ResourcePoolSpec, ResourcePoolStatus> {

    public static final String GROUP = "respool.io";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
}
