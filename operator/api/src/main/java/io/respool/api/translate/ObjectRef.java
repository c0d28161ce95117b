package io.respool.api.translate;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Names a Kubernetes object in messages: kind, namespace (null when cluster-scoped) and name. */
public record ObjectRef(String kind, String namespace, String name) {

    public static ObjectRef of(HasMetadata object) {
        var meta = object.getMetadata();
        return new ObjectRef(object.getKind(), meta == null ? null : meta.getNamespace(),
                meta == null ? null : meta.getName());
    }

    /** {@code VirtualMachine "payments/db"}, {@code ResourcePool "prod"}. */
    @Override
    public String toString() {
        String qualified = namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
        return kind + " \"" + qualified + "\"";
    }
}
