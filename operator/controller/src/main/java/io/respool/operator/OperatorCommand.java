package io.respool.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code respool operator}: runs the operator until SIGTERM / SIGINT, then stops gracefully. */
@Command(name = "operator",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the respool operator against the cluster of the current kubeconfig (or the in-cluster"
                    + " service account): admission, placement, entitlements, owned KubeVirt VMs and Pods,"
                    + " NodeResourcePlans, status.",
            "Every option can also be set through the environment variable named in its description."})
public final class OperatorCommand implements Callable<Integer> {

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "${env:RESPOOL_HTTP_PORT:-8080}",
            description = "Port of /metrics, /healthz and /startup; -1: none (env RESPOOL_HTTP_PORT; default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--namespace", paramLabel = "NAMESPACE", split = ",",
            defaultValue = "${env:RESPOOL_NAMESPACES}",
            description = "Namespaces whose VirtualMachines and Containers to govern, repeatable or comma-separated;"
                    + " absent: all (env RESPOOL_NAMESPACES).")
    List<String> namespaces;

    @Option(names = "--leader-election", negatable = true, fallbackValue = "true",
            defaultValue = "${env:RESPOOL_LEADER_ELECTION:-true}",
            description = "Elect a leader on a Lease before reconciling; needed with more than one replica"
                    + " (env RESPOOL_LEADER_ELECTION; default ${DEFAULT-VALUE}).")
    boolean leaderElection;

    @Option(names = "--lease-namespace", paramLabel = "NAMESPACE", defaultValue = "${env:POD_NAMESPACE}",
            description = "Namespace of the leader-election Lease (env POD_NAMESPACE; default: the operator's own"
                    + " namespace in a cluster).")
    String leaseNamespace;

    @Option(names = "--batch-max-delay", paramLabel = "DURATION", defaultValue = "${env:RESPOOL_BATCH_MAX_DELAY:-PT1S}",
            description = "Longest time between a change and the engine run that plans it, ISO-8601"
                    + " (env RESPOOL_BATCH_MAX_DELAY; default ${DEFAULT-VALUE}).")
    Duration maxDelay;

    @Override
    public Integer call() throws InterruptedException {
        Set<String> scope = new LinkedHashSet<>();
        if (namespaces != null) {
            namespaces.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(scope::add);
        }
        OperatorOptions defaults = OperatorOptions.defaults();
        OperatorOptions options = defaults.withNamespaces(scope).withHttpPort(httpPort)
                .withLeaderElection(leaderElection, leaseNamespace)
                .withBatching(defaults.quietPeriod(), defaults.minInterval(), maxDelay);
        KubernetesClient client = new KubernetesClientBuilder().build();
        // Losing the Lease while running: exit at once (the Deployment restarts it as a standby).
        RespoolOperator operator = new RespoolOperator(client, options, () -> Runtime.getRuntime().halt(1));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            operator.close();
            client.close();
            stopped.countDown();
        }, "respool-shutdown"));
        operator.start();
        stopped.await();
        return 0;
    }
}
