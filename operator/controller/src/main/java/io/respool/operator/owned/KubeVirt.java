package io.respool.operator.owned;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/** Where KubeVirt's VirtualMachine lives in the API: respool talks to it without KubeVirt's Java model. */
public final class KubeVirt {

    public static final String GROUP = "kubevirt.io";
    public static final String VERSION = "v1";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    public static final String KIND = "VirtualMachine";
    public static final String CRD_NAME = "virtualmachines." + GROUP;

    public static final ResourceDefinitionContext VIRTUAL_MACHINES = new ResourceDefinitionContext.Builder()
            .withGroup(GROUP)
            .withVersion(VERSION)
            .withKind(KIND)
            .withPlural("virtualmachines")
            .withNamespaced(true)
            .build();

    private KubeVirt() {
    }
}
