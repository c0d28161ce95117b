package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Map;

/** The desired VM: its size, its allocations per dimension, its disks and whether it runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VirtualMachineSpec {

    @JsonPropertyDescription("Name of the ResourcePool this VM draws from. Absent: the cluster's root"
            + " pool.")
    private String pool;

    @JsonPropertyDescription("Guest operating system family: linux or windows.")
    @Default("linux")
    private OperatingSystem os;

    @JsonPropertyDescription("Virtual CPUs and cpu reservation, limit and shares (in cores).")
    @Required
    private VirtualMachineCpu cpu;

    @JsonPropertyDescription("Guest memory size and memory reservation, limit and shares (in bytes).")
    @Required
    private VirtualMachineMemory memory;

    @JsonPropertyDescription("Disk I/O allocations: operations per second and bytes per second.")
    private WorkloadDisk disk;

    @JsonPropertyDescription("Network allocations, in bits per second.")
    private WorkloadNetwork network;

    @JsonPropertyDescription("The VM's disks, in boot order.")
    private List<VirtualMachineDisk> disks;

    @JsonPropertyDescription("cloud-init data for the guest's first boot.")
    private CloudInit cloudInit;

    @JsonPropertyDescription("Whether the VM should run: Always, RerunOnFailure, Manual or Halted. A"
            + " Halted VM holds no reservation.")
    @Default("Always")
    private RunStrategy runStrategy;

    @JsonPropertyDescription("Node labels the VM must run on, in addition to its pools' node selectors.")
    private Map<String, String> nodeSelector;

    public String getPool() {
        return pool;
    }

    public void setPool(String pool) {
        this.pool = pool;
    }

    public OperatingSystem getOs() {
        return os;
    }

    public void setOs(OperatingSystem os) {
        this.os = os;
    }

    public VirtualMachineCpu getCpu() {
        return cpu;
    }

    public void setCpu(VirtualMachineCpu cpu) {
        this.cpu = cpu;
    }

    public VirtualMachineMemory getMemory() {
        return memory;
    }

    public void setMemory(VirtualMachineMemory memory) {
        this.memory = memory;
    }

    public WorkloadDisk getDisk() {
        return disk;
    }

    public void setDisk(WorkloadDisk disk) {
        this.disk = disk;
    }

    public WorkloadNetwork getNetwork() {
        return network;
    }

    public void setNetwork(WorkloadNetwork network) {
        this.network = network;
    }

    public List<VirtualMachineDisk> getDisks() {
        return disks;
    }

    public void setDisks(List<VirtualMachineDisk> disks) {
        this.disks = disks;
    }

    public CloudInit getCloudInit() {
        return cloudInit;
    }

    public void setCloudInit(CloudInit cloudInit) {
        this.cloudInit = cloudInit;
    }

    public RunStrategy getRunStrategy() {
        return runStrategy;
    }

    public void setRunStrategy(RunStrategy runStrategy) {
        this.runStrategy = runStrategy;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }
}
