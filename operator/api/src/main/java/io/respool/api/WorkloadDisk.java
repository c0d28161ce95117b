package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A workload's disk allocations. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadDisk {

    @JsonPropertyDescription("Disk I/O operations per second, e.g. limit \"500\".")
    private WorkloadAllocation iops;

    @JsonPropertyDescription("Disk throughput in bytes per second, e.g. limit \"50Mi\".")
    private WorkloadAllocation bandwidth;

    public WorkloadAllocation getIops() {
        return iops;
    }

    public void setIops(WorkloadAllocation iops) {
        this.iops = iops;
    }

    public WorkloadAllocation getBandwidth() {
        return bandwidth;
    }

    public void setBandwidth(WorkloadAllocation bandwidth) {
        this.bandwidth = bandwidth;
    }
}
