package io.respool.demo;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.respool.agent.AgentConfig;
import io.respool.agent.NodeAgent;
import io.respool.agent.cgroup.CgroupDriver;
import io.respool.operator.OperatorOptions;
import io.respool.operator.RespoolOperator;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code respool demo}: a whole respool installation on this machine, for a look at how it
 * behaves. Starts a {@link LocalCluster}, the operator and one node agent per node in this JVM,
 * applies the examples (or given files), and prints the pool tree as it converges.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs respool on a simulated cluster on this machine: real etcd, kube-apiserver and kube-scheduler,"
                    + " KWOK nodes (pods run without kubelets), a KubeVirt stand-in, the respool operator and a"
                    + " node agent per node (writing a temporary cgroup tree laid out like a kubelet's), all in or"
                    + " below this process.",
            "It applies examples/ (or the files given with -f), prints the pool tree with admissions,"
                    + " placements and entitlements whenever it settles, and stops everything on exit or Ctrl-C,"
                    + " leaving no processes and no files behind.",
            "The binaries come from scripts/control-plane.sh's cache ($RESPOOL_BIN).",
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:stopped (Ctrl-C, --duration over, or --once settled)",
            "1:--once: the cluster did not settle within --timeout",
            "2:bad usage or unreadable files",
            "3:the local cluster could not start",
        })
public final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE|DIR",
            description = "Manifests to apply (files or directories, repeatable; default: examples/).")
    private List<Path> files = new ArrayList<>();

    @Option(names = "--once", description = "Print the tree once it has settled, then stop and exit.")
    private boolean once;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long (e.g. 90s, 10m); default: until Ctrl-C.")
    private Duration duration;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "180s", converter = DurationConverter.class,
            description = "With --once: give up when not settled after this long (default: ${DEFAULT-VALUE}).")
    private Duration timeout;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "0",
            description = "Extra nodes (8 cpu, 32Gi) besides those in the manifests (default: ${DEFAULT-VALUE}).")
    private int extraNodes;

    @Option(names = "--kubevirt-nodes", paramLabel = "N", defaultValue = "0",
            description = "Extra KubeVirt nodes (16 cpu, 64Gi, kubevirt.io/schedulable=true) (default: ${DEFAULT-VALUE}).")
    private int extraKubeVirtNodes;

    @Option(names = "--agent", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run a node agent per node (default: yes; --no-agent: none).")
    private boolean agents;

    @Option(names = "--real-cgroups",
            description = "Agents write real cgroups (below /sys/fs/cgroup/respool-demo-<pid>/<node>, removed at"
                    + " the end; needs root) instead of a temporary tree.")
    private boolean realCgroups;

    @Option(names = "--kubevirt-request-defaults", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "The KubeVirt stand-in renders virt-launcher pods' requests and limits as KubeVirt does"
                    + " (defaulting, memory overhead); on by default, --no-kubevirt-request-defaults takes the"
                    + " VMs' requests as written.")
    private boolean kubeVirtRequestDefaults;

    @Option(names = "--keep-files", description = "Keep the cluster's directory (logs, kubeconfigs) after stopping.")
    private boolean keepFiles;

    private volatile boolean stopping;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long t0 = System.nanoTime();

        Manifests manifests;
        Path bundled = null;
        FileSystem jarFs = null;
        try {
            List<Path> paths = new ArrayList<>(files);
            if (paths.isEmpty()) {
                Path root = ControlPlaneBinaries.repositoryRoot();
                if (root != null && Files.isDirectory(root.resolve("examples"))) {
                    paths.add(root.resolve("examples"));
                } else {
                    URL url = DemoCommand.class.getResource("examples");
                    if (url == null) {
                        err.println("respool demo: no examples/ here and none bundled: give files with -f");
                        return 2;
                    }
                    URI uri = url.toURI();
                    if ("jar".equals(uri.getScheme())) {
                        jarFs = FileSystems.newFileSystem(uri, Map.of());
                        bundled = jarFs.provider().getPath(uri);
                    } else {
                        bundled = Path.of(uri);
                    }
                    paths.add(bundled);
                }
            }
            manifests = Manifests.read(paths);
        } catch (RuntimeException e) {
            err.println("respool demo: " + e.getMessage());
            return 2;
        } finally {
            if (jarFs != null) {
                jarFs.close();
            }
        }

        Path work = Files.createTempDirectory("respool-demo-");
        Path logFile = work.resolve("respool-demo.log");
        DemoLogging.toFile(logFile);
        out.println("respool demo: starting a local cluster (etcd, kube-apiserver, kube-scheduler, KWOK) ...");
        out.flush();
        LocalCluster cluster;
        try {
            cluster = LocalCluster.start(LocalCluster.Options.defaults()
                    .withKubeVirtRequestDefaults(kubeVirtRequestDefaults).withKeepDirectory(keepFiles));
        } catch (RuntimeException e) {
            err.println("respool demo: the local cluster did not start: " + e.getMessage());
            LocalCluster.deleteTree(work);
            return 3;
        }
        Thread hook = new Thread(() -> {
            stopping = true;
            cluster.close();
        }, "respool-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        cluster.closeFirst(() -> {
            if (!keepFiles) {
                LocalCluster.deleteTree(work);
            }
        });
        int status;
        try {
            status = run(cluster, manifests, out, work, logFile, t0);
        } finally {
            out.println("respool demo: stopping ...");
            out.flush();
            cluster.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down
            }
            out.println("respool demo: stopped; " + cluster.processes().size() + " processes ended, "
                    + (keepFiles ? "files kept in " + cluster.directory() + " and " + work : "temporary files removed")
                    + ".");
            out.flush();
        }
        return status;
    }

    private int run(LocalCluster cluster, Manifests manifests, PrintWriter out, Path work, Path logFile, long t0)
            throws IOException, InterruptedException {
        KubernetesClient client = cluster.client();
        List<FakeNode> nodes = new ArrayList<>();
        manifests.nodes().forEach(n -> nodes.add(FakeNode.from(n)));
        for (int i = 1; i <= extraNodes; i++) {
            nodes.add(FakeNode.of("node-" + i, "8", "32Gi", Map.of()));
        }
        for (int i = 1; i <= extraKubeVirtNodes; i++) {
            nodes.add(FakeNode.of("kubevirt-node-" + i, "16", "64Gi", Map.of(FakeNode.KUBEVIRT_SCHEDULABLE, "true")));
        }
        if (nodes.isEmpty()) {
            nodes.add(FakeNode.of("node-1", "8", "32Gi", Map.of()));
            nodes.add(FakeNode.of("kubevirt-node-1", "16", "64Gi", Map.of(FakeNode.KUBEVIRT_SCHEDULABLE, "true")));
        }
        cluster.createNodes(nodes);

        KubernetesClient operatorClient = new KubernetesClientBuilder().withConfig(cluster.clientConfig("respool-1"))
                .build();
        RespoolOperator operator = new RespoolOperator(operatorClient, OperatorOptions.defaults().withHttpPort(-1));
        cluster.closeFirst(operatorClient);
        cluster.closeFirst(operator);
        operator.start();

        String agentNote = "no node agents";
        if (agents) {
            KubeletCgroups cgroups = realCgroups ? KubeletCgroups.real("respool-demo-" + ProcessHandle.current().pid())
                    : KubeletCgroups.fakeTree(work.resolve("cgroup"));
            cluster.closeFirst(cgroups);
            Set<String> names = new LinkedHashSet<>();
            nodes.forEach(n -> names.add(n.name()));
            KubernetesClient agentClient = new KubernetesClientBuilder().withConfig(cluster.clientConfig("respool-2"))
                    .build();
            cluster.closeFirst(agentClient);
            SimulatedKubelet kubelet = new SimulatedKubelet(agentClient, cgroups, names);
            cluster.closeFirst(kubelet);
            for (String node : names) {
                AgentConfig config = AgentConfig.defaults(node).withCgroupRoot(cgroups.cgroupRoot(node))
                        .withKubepods(cgroups.kubepods(node), cgroups.isReal() ? CgroupDriver.CGROUPFS : null)
                        .withPeriods(Duration.ofSeconds(5), Duration.ofSeconds(5),
                                AgentConfig.DEFAULT_DEMAND_TIME_CONSTANT)
                        .withHttpPort(-1);
                cluster.closeFirst(NodeAgent.watching(config, agentClient));
            }
            agentNote = names.size() + " node agents writing " + (cgroups.isReal() ? "real cgroups below "
                    + "/sys/fs/cgroup/*/respool-demo-" + ProcessHandle.current().pid() : "cgroup v2 trees in "
                    + work.resolve("cgroup"));
        }

        manifests.apply(cluster);
        out.printf("respool demo: up in %.1f s: %d nodes, operator, %s.%n", seconds(t0), nodes.size(), agentNote);
        out.println("  kubectl:  " + ControlPlaneBinaries.locate().kubectl() + " --kubeconfig "
                + cluster.kubeconfigFile("admin") + " get respool -A");
        out.println("  log:      " + logFile);
        out.flush();

        String lastSummary = null;
        String lastTree = null;
        long settledSince = -1;
        long deadline = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
        long onceDeadline = System.nanoTime() + timeout.toNanos();
        while (!stopping) {
            PoolTreeView view;
            try {
                view = PoolTreeView.read(client);
            } catch (RuntimeException e) {
                if (stopping) {
                    break;
                }
                throw e;
            }
            String summary = view.summary();
            if (!summary.equals(lastSummary)) {
                out.printf("[%6.1fs] %s%n", seconds(t0), summary);
                out.flush();
                lastSummary = summary;
            }
            boolean settled = view.settled(agents);
            if (!settled) {
                settledSince = -1;
            } else if (settledSince < 0) {
                settledSince = System.nanoTime();
            }
            // Settled and unchanged for a second: show the tree, if it changed since last shown.
            if (settledSince >= 0 && System.nanoTime() - settledSince >= 1_000_000_000L) {
                String tree = view.render();
                if (!tree.equals(lastTree)) {
                    out.printf("%n[%6.1fs] settled:%n%n%s%n", seconds(t0), tree);
                    out.flush();
                    lastTree = tree;
                }
                if (once) {
                    return 0;
                }
            }
            if (once && System.nanoTime() > onceDeadline) {
                out.printf("%n[%6.1fs] not settled within %s; as it stands:%n%n%s%n", seconds(t0),
                        human(timeout), view.render());
                return 1;
            }
            if (System.nanoTime() > deadline) {
                return 0;
            }
            Thread.sleep(500);
        }
        return 0;
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static String human(Duration d) {
        return d.toSeconds() + " s";
    }

    /** "500ms", "90s", "10m", "1h" or ISO-8601. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            try {
                if (v.startsWith("pt")) {
                    return Duration.parse(v.toUpperCase(java.util.Locale.ROOT));
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
                        + "\" is not a duration: use e.g. 500ms, 90s, 10m or PT90S");
            }
        }
    }
}
