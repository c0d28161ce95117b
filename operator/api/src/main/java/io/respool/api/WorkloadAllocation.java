package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;

/** A workload's reservation, limit and shares in one dimension. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = CelRules.LIMIT_NOT_BELOW_RESERVATION,
        messageExpression = CelRules.LIMIT_NOT_BELOW_RESERVATION_MESSAGE, fieldPath = ".limit")
public class WorkloadAllocation {

    @JsonPropertyDescription("Guaranteed amount, as a Kubernetes quantity in the dimension's unit (cpu:"
            + " cores, e.g. \"500m\" or \"2\"; memory and disk bandwidth: bytes, e.g. \"4Gi\"; IOPS:"
            + " operations per second; network: bits per second, e.g. \"100M\"). The workload is"
            + " admitted only if its pool can still reserve it. Absent means 0.")
    @ValidationRule(value = CelRules.NON_NEGATIVE_QUANTITY, messageExpression = CelRules.RESERVATION_MESSAGE)
    private Quantity reservation;

    @JsonPropertyDescription("Upper bound even when the cluster is idle, in the same unit as"
            + " reservation. Must not be below reservation. Absent means unlimited (for a"
            + " VirtualMachine: its vCPU count and its memory size).")
    @ValidationRule(value = CelRules.NON_NEGATIVE_QUANTITY, messageExpression = CelRules.LIMIT_MESSAGE)
    private Quantity limit;

    @JsonPropertyDescription("Relative priority among its siblings under contention: low, normal or"
            + " high (vSphere presets, scaled by size: 500 / 1000 / 2000 per vCPU, 5 / 10 / 20 per MiB)"
            + " or an integer from 1 to 1000000.")
    @Default("normal")
    @ValidationRule(value = CelRules.SHARES, messageExpression = CelRules.SHARES_MESSAGE)
    private IntOrString shares;

    public WorkloadAllocation() {
    }

    public WorkloadAllocation(Quantity reservation, Quantity limit, IntOrString shares) {
        this.reservation = reservation;
        this.limit = limit;
        this.shares = shares;
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
}
