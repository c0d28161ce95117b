package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A pool's network allocations. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PoolNetwork {

    @JsonPropertyDescription("Outgoing traffic in bits per second, e.g. limit \"1G\".")
    private PoolAllocation egress;

    @JsonPropertyDescription("Incoming traffic in bits per second, e.g. limit \"1G\".")
    private PoolAllocation ingress;

    public PoolAllocation getEgress() {
        return egress;
    }

    public void setEgress(PoolAllocation egress) {
        this.egress = egress;
    }

    public PoolAllocation getIngress() {
        return ingress;
    }

    public void setIngress(PoolAllocation ingress) {
        this.ingress = ingress;
    }
}
