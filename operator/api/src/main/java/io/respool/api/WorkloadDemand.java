package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A workload's estimated demand (semantics.md section 6), in base units; absent means unknown. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadDemand {

    @JsonPropertyDescription("cpu demand in millicores; absent: unknown (the operator uses the size).")
    private Long cpu;

    @JsonPropertyDescription("Memory demand in bytes; absent: unknown (the operator uses the size).")
    private Long memory;

    public WorkloadDemand() {
    }

    public WorkloadDemand(Long cpu, Long memory) {
        this.cpu = cpu;
        this.memory = memory;
    }

    public Long getCpu() {
        return cpu;
    }

    public void setCpu(Long cpu) {
        this.cpu = cpu;
    }

    public Long getMemory() {
        return memory;
    }

    public void setMemory(Long memory) {
        this.memory = memory;
    }
}
