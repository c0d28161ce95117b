package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A workload's network allocations. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadNetwork {

    @JsonPropertyDescription("Outgoing traffic in bits per second, e.g. limit \"100M\".")
    private WorkloadAllocation egress;

    @JsonPropertyDescription("Incoming traffic in bits per second, e.g. limit \"100M\".")
    private WorkloadAllocation ingress;

    public WorkloadAllocation getEgress() {
        return egress;
    }

    public void setEgress(WorkloadAllocation egress) {
        this.egress = egress;
    }

    public WorkloadAllocation getIngress() {
        return ingress;
    }

    public void setIngress(WorkloadAllocation ingress) {
        this.ingress = ingress;
    }
}
