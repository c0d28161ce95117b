package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A pool's disk allocations. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PoolDisk {

    @JsonPropertyDescription("Disk I/O operations per second, e.g. reservation \"2000\".")
    private PoolAllocation iops;

    @JsonPropertyDescription("Disk throughput in bytes per second, e.g. limit \"200Mi\".")
    private PoolAllocation bandwidth;

    public PoolAllocation getIops() {
        return iops;
    }

    public void setIops(PoolAllocation iops) {
        this.iops = iops;
    }

    public PoolAllocation getBandwidth() {
        return bandwidth;
    }

    public void setBandwidth(PoolAllocation bandwidth) {
        this.bandwidth = bandwidth;
    }
}
