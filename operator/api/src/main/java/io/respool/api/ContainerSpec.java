package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.respool.api.schema.ContainerPortSchema;
import io.respool.api.schema.EnvVarSchema;
import java.util.List;
import java.util.Map;

/** The desired container: what it runs, its storage, its allocations per dimension, whether it runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerSpec {

    @JsonPropertyDescription("Name of the ResourcePool this container draws from. Absent: the cluster's"
            + " root pool.")
    private String pool;

    @JsonPropertyDescription("Container image to run, e.g. \"nginx:1.27\".")
    @Required
    private String image;

    @JsonPropertyDescription("Entrypoint, replacing the image's; absent: the image's own.")
    private List<String> command;

    @JsonPropertyDescription("Arguments to the entrypoint; absent: the image's own.")
    private List<String> args;

    @JsonPropertyDescription("Environment variables, as in a Pod's container.")
    @SchemaFrom(type = EnvVarSchema[].class)
    private List<EnvVar> env;

    @JsonPropertyDescription("Ports the container listens on, as in a Pod's container.")
    @SchemaFrom(type = ContainerPortSchema[].class)
    private List<ContainerPort> ports;

    @JsonPropertyDescription("cpu reservation, limit and shares (in cores). Preset shares scale with"
            + " the limit, else the reservation, else 1 core.")
    private WorkloadAllocation cpu;

    @JsonPropertyDescription("Memory reservation, limit and shares (in bytes). Preset shares scale"
            + " with the limit, else the reservation, else 1Gi.")
    private WorkloadAllocation memory;

    @JsonPropertyDescription("Root file system size and whether it persists.")
    private ContainerStorage storage;

    @JsonPropertyDescription("Disk I/O allocations: operations per second and bytes per second.")
    private WorkloadDisk disk;

    @JsonPropertyDescription("Network allocations, in bits per second.")
    private WorkloadNetwork network;

    @JsonPropertyDescription("Whether the container should run: Always, RerunOnFailure, Manual or"
            + " Halted. A Halted container holds no reservation.")
    @Default("Always")
    private RunStrategy runStrategy;

    @JsonPropertyDescription("Node labels the container must run on, in addition to its pools' node"
            + " selectors.")
    private Map<String, String> nodeSelector;

    public String getPool() {
        return pool;
    }

    public void setPool(String pool) {
        this.pool = pool;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public List<String> getCommand() {
        return command;
    }

    public void setCommand(List<String> command) {
        this.command = command;
    }

    public List<String> getArgs() {
        return args;
    }

    public void setArgs(List<String> args) {
        this.args = args;
    }

    public List<EnvVar> getEnv() {
        return env;
    }

    public void setEnv(List<EnvVar> env) {
        this.env = env;
    }

    public List<ContainerPort> getPorts() {
        return ports;
    }

    public void setPorts(List<ContainerPort> ports) {
        this.ports = ports;
    }

    public WorkloadAllocation getCpu() {
        return cpu;
    }

    public void setCpu(WorkloadAllocation cpu) {
        this.cpu = cpu;
    }

    public WorkloadAllocation getMemory() {
        return memory;
    }

    public void setMemory(WorkloadAllocation memory) {
        this.memory = memory;
    }

    public ContainerStorage getStorage() {
        return storage;
    }

    public void setStorage(ContainerStorage storage) {
        this.storage = storage;
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
