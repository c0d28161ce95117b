package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;

/** A pool's reservation, limit, shares and expandable reservation in one dimension. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = CelRules.LIMIT_NOT_BELOW_RESERVATION,
        messageExpression = CelRules.LIMIT_NOT_BELOW_RESERVATION_MESSAGE, fieldPath = ".limit")
public class PoolAllocation {

    @JsonPropertyDescription("Guaranteed amount set aside for this pool and everything below it, as a"
            + " Kubernetes quantity in the dimension's unit (cpu: cores, e.g. \"500m\" or \"2\"; memory"
            + " and disk bandwidth: bytes, e.g. \"4Gi\"; IOPS: operations per second; network: bits per"
            + " second, e.g. \"100M\"). Absent means 0.")
    @ValidationRule(value = CelRules.NON_NEGATIVE_QUANTITY, messageExpression = CelRules.RESERVATION_MESSAGE)
    private Quantity reservation;

    @JsonPropertyDescription("Upper bound for this pool and everything below it, even when the cluster"
            + " is idle, in the same unit as reservation. Must not be below reservation. Absent means"
            + " unlimited.")
    @ValidationRule(value = CelRules.NON_NEGATIVE_QUANTITY, messageExpression = CelRules.LIMIT_MESSAGE)
    private Quantity limit;

    @JsonPropertyDescription("Relative priority among sibling pools and workloads under contention:"
            + " low, normal or high (vSphere presets, 2000 / 4000 / 8000 for cpu) or an integer from 1"
            + " to 1000000.")
    @Default("normal")
    @ValidationRule(value = CelRules.SHARES, messageExpression = CelRules.SHARES_MESSAGE)
    private IntOrString shares;

    @JsonPropertyDescription("Whether this pool may borrow unreserved capacity from its parent when"
            + " its own reservation is used up (vSphere's expandable reservation).")
    @Default("true")
    private Boolean expandableReservation;

    public PoolAllocation() {
    }

    public PoolAllocation(Quantity reservation, Quantity limit, IntOrString shares,
                          Boolean expandableReservation) {
        this.reservation = reservation;
        this.limit = limit;
        this.shares = shares;
        this.expandableReservation = expandableReservation;
    }

    public Quantity getReservation() {
        return reservation;
    }

    public void setReservation(Quantity reservation) {
        this.reservation = reservation;
    }

    public Quantity getLimit() {
        return limit;
    }

    public void setLimit(Quantity limit) {
        this.limit = limit;
    }

    public IntOrString getShares() {
        return shares;
    }

    public void setShares(IntOrString shares) {
        this.shares = shares;
    }

    public Boolean getExpandableReservation() {
        return expandableReservation;
    }

    public void setExpandableReservation(Boolean expandableReservation) {
        this.expandableReservation = expandableReservation;
    }
}
