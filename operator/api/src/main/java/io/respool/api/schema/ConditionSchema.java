package io.respool.api.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Schema of a standard Kubernetes condition ({@code io.fabric8.kubernetes.api.model.Condition}). */
public class ConditionSchema {

    @JsonPropertyDescription("Condition type in CamelCase, e.g. Ready, Admitted, Placed or Enforced.")
    @Required
    public String type;

    @JsonPropertyDescription("\"True\", \"False\" or \"Unknown\".")
    @Required
    public String status;

    @JsonPropertyDescription("Machine-readable CamelCase cause of the last transition, e.g."
            + " InsufficientReservation.")
    public String reason;

    @JsonPropertyDescription("Human-readable details: the object, the field, the value and what would"
            + " be accepted.")
    public String message;

    @JsonPropertyDescription("When status last changed (RFC 3339).")
    public String lastTransitionTime;

    @JsonPropertyDescription("The metadata.generation the condition was computed from.")
    public Long observedGeneration;
}
