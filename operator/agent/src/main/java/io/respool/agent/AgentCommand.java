package io.respool.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.respool.agent.cgroup.CgroupDriver;
import io.respool.agent.kube.PlanAdapter;
import io.respool.agent.kube.StatusAdapter;
import io.respool.agent.report.NodeReport;
import io.respool.api.NodeResourcePlan;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code respool agent}: the node agent (one per node, as a DaemonSet). */
@Command(name = "agent",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Apply this node's NodeResourcePlan to the pods' cgroups (v2 or v1, cgroupfs or systemd driver),"
                    + " re-apply what anything else changes, and report usage, demand and enforcement in the"
                    + " plan's status.",
            "",
            "With --plan-file it needs no cluster: it applies the plan in the file (useful to try a node by"
                    + " hand) and, with --once, prints the resulting status and exits.",
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:stopped by a signal, or --once done",
            "2:bad usage or an unreadable plan file",
        })
public final class AgentCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--node-name", paramLabel = "NAME", defaultValue = "${env:NODE_NAME}",
            description = "The node (default: $NODE_NAME, set from spec.nodeName in the DaemonSet).")
    private String nodeName;

    @Option(names = "--cgroup-root", paramLabel = "DIR", defaultValue = "/sys/fs/cgroup",
            description = "The cgroup root: the v2 mount, or the parent of the v1 controller mounts"
                    + " (default: ${DEFAULT-VALUE}).")
    private Path cgroupRoot;

    @Option(names = "--cgroup-driver", paramLabel = "DRIVER",
            description = "The kubelet's cgroup driver, cgroupfs or systemd (default: told by the name of the"
                    + " pods cgroup).")
    private String driver;

    @Option(names = "--kubepods-cgroup", paramLabel = "PATH",
            description = "The kubelet's pods cgroup below each hierarchy root (default: kubepods.slice or"
                    + " kubepods, or one level down, e.g. kubelet.slice/kubelet-kubepods.slice).")
    private String kubepods;

    @Option(names = "--sys-block", paramLabel = "DIR", defaultValue = "/sys/block",
            description = "Where block devices are listed (default: ${DEFAULT-VALUE}).")
    private Path sysBlock;

    @Option(names = "--block-device", paramLabel = "NAME",
            description = "A block device for per-device I/O caps (repeatable; default: every physical disk).")
    private List<String> blockDevices = List.of();

    @Option(names = "--drift-period", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "How often values are checked and re-applied (default: ${DEFAULT-VALUE}).")
    private Duration driftPeriod;

    @Option(names = "--status-interval", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "Most frequent status update when only usage and demand changed"
                    + " (default: ${DEFAULT-VALUE}).")
    private Duration statusInterval;

    @Option(names = "--demand-time-constant", paramLabel = "DURATION", defaultValue = "60s",
            converter = DurationConverter.class,
            description = "Smoothing of the demand estimate (default: ${DEFAULT-VALUE}).")
    private Duration demandTimeConstant;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "9464",
            description = "Port of /metrics, /healthz and /readyz; -1 turns them off (default: ${DEFAULT-VALUE}).")
    private int httpPort;

    @Option(names = "--plan-file", paramLabel = "FILE",
            description = "Apply the NodeResourcePlan in FILE (YAML or JSON) instead of watching the cluster.")
    private Path planFile;

    @Option(names = "--once", description = "With --plan-file: one pass, print the status as YAML, exit.")
    private boolean once;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        CgroupDriver cgroupDriver;
        try {
            cgroupDriver = driver == null ? null : CgroupDriver.parse(driver);
        } catch (IllegalArgumentException e) {
            err.println("respool agent: " + e.getMessage());
            return 2;
        }
        if (once && planFile == null) {
            err.println("respool agent: --once needs --plan-file");
            return 2;
        }
        NodeTargets fixedPlan = null;
        if (planFile != null) {
            try (InputStream in = Files.newInputStream(planFile)) {
                NodeResourcePlan plan = Serialization.unmarshal(in, NodeResourcePlan.class);
                if (plan == null || plan.getMetadata() == null) {
                    err.println("respool agent: " + planFile + " holds no NodeResourcePlan");
                    return 2;
                }
                fixedPlan = PlanAdapter.toTargets(plan);
            } catch (IOException | RuntimeException e) {
                err.println("respool agent: cannot read " + planFile + ": " + e.getMessage());
                return 2;
            }
            if (nodeName == null || nodeName.isBlank()) {
                nodeName = fixedPlan.nodeName();
            }
        }
        if (nodeName == null || nodeName.isBlank()) {
            err.println("respool agent: no node name: set NODE_NAME (the DaemonSet passes spec.nodeName) or --node-name");
            return 2;
        }
        AgentConfig config;
        try {
            config = new AgentConfig(nodeName, cgroupRoot, cgroupDriver, kubepods, sysBlock, blockDevices,
                    driftPeriod, statusInterval, demandTimeConstant, once ? -1 : httpPort);
        } catch (IllegalArgumentException e) {
            err.println("respool agent: " + e.getMessage());
            return 2;
        }

        if (once) {
            CountDownLatch first = new CountDownLatch(1);
            AtomicReference<NodeReport> report = new AtomicReference<>();
            NodeAgent agent = NodeAgent.fixed(config, fixedPlan, r -> {
                report.compareAndSet(null, r);
                first.countDown();
            });
            try {
                if (!first.await(60, TimeUnit.SECONDS)) {
                    err.println("respool agent: no pass ended within 60 s");
                    return 70;
                }
            } finally {
                agent.close();
            }
            out.print(Serialization.asYaml(StatusAdapter.toStatus(report.get(), List.of())));
            out.flush();
            return 0;
        }
        CountDownLatch stop = new CountDownLatch(1);
        KubernetesClient client = fixedPlan == null ? new KubernetesClientBuilder().build() : null;
        NodeAgent agent = fixedPlan == null ? NodeAgent.watching(config, client)
                : NodeAgent.fixed(config, fixedPlan, r -> { });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            if (client != null) {
                client.close();
            }
            stop.countDown();
        }, "respool-agent-shutdown"));
        err.println("respool agent: node " + nodeName + ", cgroup root " + cgroupRoot
                + (agent.httpPort() >= 0 ? ", metrics and health on port " + agent.httpPort() : ""));
        err.flush();
        stop.await();
        return 0;
    }

    /** "200ms", "10s", "5m", "1h" or ISO-8601 ("PT10S"). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (v.startsWith("pt")) {
                    return Duration.parse(v.toUpperCase(Locale.ROOT));
                }
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                }
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                return switch (v.charAt(v.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> throw new NumberFormatException();
                };
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("\"" + value
                        + "\" is not a duration: use e.g. 200ms, 10s, 5m or PT10S");
            }
        }
    }
}
