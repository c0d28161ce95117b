package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Resource usage of one workload's pod cgroup, as the node agent measured it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadUsage {

    @JsonPropertyDescription("cpu used over the last measurement interval, in millicores.")
    private long cpuMillicores;

    @JsonPropertyDescription("Periods in which the cgroup was throttled by its cpu cap, over the last"
            + " measurement interval.")
    private long cpuThrottledPeriods;

    @JsonPropertyDescription("Memory charged to the cgroup, in bytes.")
    private long memoryBytes;

    @JsonPropertyDescription("Memory working set (usage minus inactive file cache), in bytes.")
    private long memoryWorkingSetBytes;

    @JsonPropertyDescription("Disk read throughput, in bytes per second.")
    private long ioReadBytesPerSecond;

    @JsonPropertyDescription("Disk write throughput, in bytes per second.")
    private long ioWriteBytesPerSecond;

    public long getCpuMillicores() {
        return cpuMillicores;
    }

    public void setCpuMillicores(long cpuMillicores) {
        this.cpuMillicores = cpuMillicores;
    }

    public long getCpuThrottledPeriods() {
        return cpuThrottledPeriods;
    }

    public void setCpuThrottledPeriods(long cpuThrottledPeriods) {
        this.cpuThrottledPeriods = cpuThrottledPeriods;
    }

    public long getMemoryBytes() {
        return memoryBytes;
    }

    public void setMemoryBytes(long memoryBytes) {
        this.memoryBytes = memoryBytes;
    }

    public long getMemoryWorkingSetBytes() {
        return memoryWorkingSetBytes;
    }

    public void setMemoryWorkingSetBytes(long memoryWorkingSetBytes) {
        this.memoryWorkingSetBytes = memoryWorkingSetBytes;
    }

    public long getIoReadBytesPerSecond() {
        return ioReadBytesPerSecond;
    }

    public void setIoReadBytesPerSecond(long ioReadBytesPerSecond) {
        this.ioReadBytesPerSecond = ioReadBytesPerSecond;
    }

    public long getIoWriteBytesPerSecond() {
        return ioWriteBytesPerSecond;
    }

    public void setIoWriteBytesPerSecond(long ioWriteBytesPerSecond) {
        this.ioWriteBytesPerSecond = ioWriteBytesPerSecond;
    }
}
