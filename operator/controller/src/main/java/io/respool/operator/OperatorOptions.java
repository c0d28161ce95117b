package io.respool.operator;

import java.time.Duration;
import java.util.Set;

/**
 * How the operator runs.
 *
 * @param namespaces      namespaces whose VirtualMachines and Containers it governs; empty: all
 * @param httpPort        port of /metrics, /healthz and /startup; 0: any free port; negative: none
 * @param leaderElection  elect a leader on a Lease before reconciling (several replicas)
 * @param leaseName       the Lease's name
 * @param leaseNamespace  the Lease's namespace (null: the operator's own, in a cluster)
 * @param quietPeriod     the planner runs once changes pause this long...
 * @param minInterval     ...but not sooner than this after its previous run...
 * @param maxDelay        ...and at the latest this long after the first change (or minInterval
 *                        after the previous run, whichever is later)
 * @param syncTimeout     how long start-up waits for the informer caches
 * @param shutdownTimeout how long stopping waits for reconciles in flight
 */
public record OperatorOptions(Set<String> namespaces, int httpPort, boolean leaderElection, String leaseName,
                              String leaseNamespace, Duration quietPeriod, Duration minInterval, Duration maxDelay,
                              Duration syncTimeout, Duration shutdownTimeout) {

    public OperatorOptions {
        namespaces = namespaces == null ? Set.of() : Set.copyOf(namespaces);
    }

    public static OperatorOptions defaults() {
        return new OperatorOptions(Set.of(), 8080, false, "respool-operator", null, Duration.ofMillis(150),
                Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofMinutes(2), Duration.ofSeconds(20));
    }

    public OperatorOptions withNamespaces(Set<String> value) {
        return new OperatorOptions(value, httpPort, leaderElection, leaseName, leaseNamespace, quietPeriod, minInterval,
                maxDelay, syncTimeout, shutdownTimeout);
    }

    public OperatorOptions withHttpPort(int value) {
        return new OperatorOptions(namespaces, value, leaderElection, leaseName, leaseNamespace, quietPeriod, minInterval,
                maxDelay, syncTimeout, shutdownTimeout);
    }

    public OperatorOptions withLeaderElection(boolean value, String namespace) {
        return new OperatorOptions(namespaces, httpPort, value, leaseName, namespace, quietPeriod, minInterval,
                maxDelay, syncTimeout, shutdownTimeout);
    }

    public OperatorOptions withBatching(Duration quiet, Duration min, Duration max) {
        return new OperatorOptions(namespaces, httpPort, leaderElection, leaseName, leaseNamespace, quiet, min, max,
                syncTimeout, shutdownTimeout);
    }
}
