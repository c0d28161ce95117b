package io.respool.operator.owned;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.respool.operator.cluster.Labels;
import io.respool.operator.status.Statuses;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What every object respool owns carries: owner reference, labels, node pinning, spec hash. */
public final class Owners {

    private Owners() {
    }

    /** The controlling owner reference to a respool object (deleting the owner deletes the object). */
    public static OwnerReference controller(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    public static boolean ownedBy(HasMetadata object, HasMetadata owner) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        return refs != null && refs.stream().anyMatch(r -> owner.getMetadata().getUid().equals(r.getUid()));
    }

    /** Labels of an owned object: the owner's label (key given), its pool, managed-by. */
    public static Map<String, String> labels(String ownerLabel, String ownerName, String pool) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ownerLabel, ownerName);
        if (pool != null && !pool.isEmpty()) {
            labels.put(Labels.POOL, pool);
        }
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        return labels;
    }

    /**
     * The node selector term that pins to the chosen node: on {@code kubernetes.io/hostname} when the
     * node has that label, else on the node's name ({@code metadata.name} field), which always works.
     */
    public static NodeSelectorTerm pinTo(String node, String hostnameLabel) {
        if (hostnameLabel != null && !hostnameLabel.isEmpty()) {
            return new NodeSelectorTermBuilder()
                    .withMatchExpressions(new NodeSelectorRequirementBuilder()
                            .withKey(Labels.HOSTNAME).withOperator("In").withValues(hostnameLabel).build())
                    .build();
        }
        return new NodeSelectorTermBuilder()
                .withMatchFields(new NodeSelectorRequirementBuilder()
                        .withKey("metadata.name").withOperator("In").withValues(node).build())
                .build();
    }

    /** A short stable hash of an object's JSON form. */
    public static String hash(Object desired) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(Statuses.tree(desired).toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
