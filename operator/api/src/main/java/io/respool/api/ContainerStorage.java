package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** A container's root file system size, like an OpenVZ container's disk quota. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerStorage {

    @JsonPropertyDescription("Storage size in bytes, e.g. \"10Gi\".")
    @ValidationRule(value = CelRules.POSITIVE_QUANTITY, messageExpression = CelRules.SIZE_MESSAGE)
    private Quantity size;

    @JsonPropertyDescription("true: a PersistentVolumeClaim of this size that survives restarts;"
            + " false: an ephemeral storage quota, wiped when the container stops.")
    @Default("false")
    private Boolean persistent;

    public ContainerStorage() {
    }

    public ContainerStorage(Quantity size, Boolean persistent) {
        this.size = size;
        this.persistent = persistent;
    }

    public Quantity getSize() {
        return size;
    }

    public void setSize(Quantity size) {
        this.size = size;
    }

    public Boolean getPersistent() {
        return persistent;
    }

    public void setPersistent(Boolean persistent) {
        this.persistent = persistent;
    }
}
