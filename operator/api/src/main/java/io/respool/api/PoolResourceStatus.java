package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;

/** A pool's computed figures in one dimension. Absent limits mean unlimited. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PoolResourceStatus {

    @JsonPropertyDescription("Its own reservation as granted (0 while it does not fit in the parent).")
    private Quantity reservation;

    @JsonPropertyDescription("The smallest limit of this pool and its ancestors; absent: unlimited.")
    private Quantity effectiveLimit;

    @JsonPropertyDescription("Its shares as a number among its siblings (presets and scalable shares"
            + " resolved).")
    private Long effectiveShares;

    @JsonPropertyDescription("Reserved by admitted workloads and child pools.")
    private Quantity used;

    @JsonPropertyDescription("What a new workload in this pool could still reserve.")
    private Quantity available;

    @JsonPropertyDescription("What the pool should get now under current demand.")
    private Quantity entitlement;

    @JsonPropertyDescription("Valid, Overcommitted or Invalid.")
    private String health;

    public Quantity getReservation() {
        return reservation;
    }

    public void setReservation(Quantity reservation) {
        this.reservation = reservation;
    }

    public Quantity getEffectiveLimit() {
        return effectiveLimit;
    }

    public void setEffectiveLimit(Quantity effectiveLimit) {
        this.effectiveLimit = effectiveLimit;
    }

    public Long getEffectiveShares() {
        return effectiveShares;
    }

    public void setEffectiveShares(Long effectiveShares) {
        this.effectiveShares = effectiveShares;
    }

    public Quantity getUsed() {
        return used;
    }

    public void setUsed(Quantity used) {
        this.used = used;
    }

    public Quantity getAvailable() {
        return available;
    }

    public void setAvailable(Quantity available) {
        this.available = available;
    }

    public Quantity getEntitlement() {
        return entitlement;
    }

    public void setEntitlement(Quantity entitlement) {
        this.entitlement = entitlement;
    }

    public String getHealth() {
        return health;
    }

    public void setHealth(String health) {
        this.health = health;
    }
}
