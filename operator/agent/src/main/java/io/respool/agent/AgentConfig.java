package io.respool.agent;

import io.respool.agent.cgroup.CgroupDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The agent's settings.
 *
 * @param nodeName           the node whose plan it applies
 * @param cgroupRoot         the cgroup root ({@code /sys/fs/cgroup}, or a host path mounted into the
 *                           agent's container, or a test tree)
 * @param driver             the kubelet's cgroup driver, null to detect it from the kubepods name
 * @param kubepods           the kubelet's pods cgroup relative to each hierarchy root, null to find
 *                           it ({@code kubepods.slice} or {@code kubepods}, or one level down)
 * @param sysBlock           the {@code /sys/block} directory listing block devices
 * @param blockDevices       device names for per-device I/O values; empty: every physical disk
 * @param driftPeriod        how often the values are checked and re-applied if changed
 * @param statusInterval     how often at most the plan's status is written when only usage changed
 * @param demandTimeConstant smoothing time constant of the demand estimate
 * @param httpPort           port of the metrics and health endpoints; 0 picks a free one, -1 none
 */
public record AgentConfig(String nodeName, Path cgroupRoot, CgroupDriver driver, String kubepods, Path sysBlock,
                          List<String> blockDevices, Duration driftPeriod, Duration statusInterval,
                          Duration demandTimeConstant, int httpPort) {

    public static final Path DEFAULT_CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    public static final Path DEFAULT_SYS_BLOCK = Path.of("/sys/block");
    public static final Duration DEFAULT_DRIFT_PERIOD = Duration.ofSeconds(10);
    public static final Duration DEFAULT_STATUS_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_DEMAND_TIME_CONSTANT = Duration.ofSeconds(60);
    public static final int DEFAULT_HTTP_PORT = 9464;

    public AgentConfig {
        blockDevices = List.copyOf(blockDevices);
        if (driftPeriod.isNegative() || driftPeriod.isZero()) {
            throw new IllegalArgumentException("drift period must be positive, got " + driftPeriod);
        }
    }

    /** The defaults for a node, cgroups at {@code /sys/fs/cgroup}. */
    public static AgentConfig defaults(String nodeName) {
        return new AgentConfig(nodeName, DEFAULT_CGROUP_ROOT, null, null, DEFAULT_SYS_BLOCK, List.of(),
                DEFAULT_DRIFT_PERIOD, DEFAULT_STATUS_INTERVAL, DEFAULT_DEMAND_TIME_CONSTANT, DEFAULT_HTTP_PORT);
    }

    public AgentConfig withCgroupRoot(Path root) {
        return new AgentConfig(nodeName, root, driver, kubepods, sysBlock, blockDevices, driftPeriod,
                statusInterval, demandTimeConstant, httpPort);
    }

    public AgentConfig withKubepods(String kubepodsPath, CgroupDriver cgroupDriver) {
        return new AgentConfig(nodeName, cgroupRoot, cgroupDriver, kubepodsPath, sysBlock, blockDevices,
                driftPeriod, statusInterval, demandTimeConstant, httpPort);
    }

    public AgentConfig withBlockDevices(Path sysBlockDir, List<String> names) {
        return new AgentConfig(nodeName, cgroupRoot, driver, kubepods, sysBlockDir, names, driftPeriod,
                statusInterval, demandTimeConstant, httpPort);
    }

    public AgentConfig withPeriods(Duration drift, Duration status, Duration demand) {
        return new AgentConfig(nodeName, cgroupRoot, driver, kubepods, sysBlock, blockDevices, drift, status,
                demand, httpPort);
    }

    public AgentConfig withHttpPort(int port) {
        return new AgentConfig(nodeName, cgroupRoot, driver, kubepods, sysBlock, blockDevices, driftPeriod,
                statusInterval, demandTimeConstant, port);
    }
}
