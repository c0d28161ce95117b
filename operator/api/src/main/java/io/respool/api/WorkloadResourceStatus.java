package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;

/** A workload's computed figures in one dimension. Absent limit, cap or demand mean unbounded. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadResourceStatus {

    @JsonPropertyDescription("The smallest limit of the workload and its pools.")
    private Quantity effectiveLimit;

    @JsonPropertyDescription("Its shares as a number (presets resolved by size).")
    private Long shares;

    @JsonPropertyDescription("Measured demand as reported by the node agent, else its size.")
    private Quantity demand;

    @JsonPropertyDescription("What it should get now under current demand.")
    private Quantity entitlement;

    @JsonPropertyDescription("Hard cap enforced on its node (its own and its pools' limits).")
    private Quantity cap;

    public Quantity getEffectiveLimit() {
        return effectiveLimit;
    }

    public void setEffectiveLimit(Quantity effectiveLimit) {
        this.effectiveLimit = effectiveLimit;
    }

    public Long getShares() {
        return shares;
    }

    public void setShares(Long shares) {
        this.shares = shares;
    }

    public Quantity getDemand() {
        return demand;
    }

    public void setDemand(Quantity demand) {
        this.demand = demand;
    }

    public Quantity getEntitlement() {
        return entitlement;
    }

    public void setEntitlement(Quantity entitlement) {
        this.entitlement = entitlement;
    }

    public Quantity getCap() {
        return cap;
    }

    public void setCap(Quantity cap) {
        this.cap = cap;
    }
}
