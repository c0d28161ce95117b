package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Whether the node enforces one dimension of one workload, and if not, why (never dropped silently). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DimensionEnforcement {

    @JsonPropertyDescription("The dimension: cpu, memory, diskIOPS, diskBandwidth, networkEgress or"
            + " networkIngress.")
    @Required
    private String dimension;

    @JsonPropertyDescription("Whether the node enforces this dimension's targets.")
    private boolean enforced;

    @JsonPropertyDescription("CamelCase reason, e.g. Applied, CgroupNotFound, ControllerUnavailable.")
    private String reason;

    @JsonPropertyDescription("Human-readable detail naming what could not be enforced and why.")
    private String message;

    public DimensionEnforcement() {
    }

    public DimensionEnforcement(String dimension, boolean enforced, String reason, String message) {
        this.dimension = dimension;
        this.enforced = enforced;
        this.reason = reason;
        this.message = message;
    }

    public String getDimension() {
        return dimension;
    }

    public void setDimension(String dimension) {
        this.dimension = dimension;
    }

    public boolean isEnforced() {
        return enforced;
    }

    public void setEnforced(boolean enforced) {
        this.enforced = enforced;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }
}
