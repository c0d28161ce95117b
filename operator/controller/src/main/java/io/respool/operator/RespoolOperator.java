package io.respool.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.respool.operator.cluster.ClusterCache;
import io.respool.operator.cluster.LeanItemStore;
import io.respool.operator.controller.ContainerReconciler;
import io.respool.operator.controller.EventRecorder;
import io.respool.operator.controller.NodePlanReconciler;
import io.respool.operator.controller.ResourcePoolReconciler;
import io.respool.operator.controller.VirtualMachineReconciler;
import io.respool.operator.metrics.CoreGroupTag;
import io.respool.operator.metrics.OperatorHttpServer;
import io.respool.operator.metrics.PlannerMetrics;
import io.respool.operator.planning.PlanResult;
import io.respool.operator.planning.Planner;
import io.respool.operator.planning.ReconcileTriggers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The respool operator, wired: informer cache → planner (one batched engine run over the whole
 * cluster) → reconcile triggers → JOSDK controllers for ResourcePools, VirtualMachines, Containers
 * and Nodes (NodeResourcePlans), plus metrics, health and optional leader election.
 *
 * <p>The cache and the planner run on every replica (a standby has a warm plan); only the leader
 * reconciles, so only the leader writes. A replica that becomes leader plans once more from the
 * admissions and nodes in status before it reconciles (see {@link Planner#replanFromStatuses()}).
 */
public final class RespoolOperator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RespoolOperator.class);

    private final KubernetesClient client;
    private final OperatorOptions options;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final String identity = defaultIdentity();
    private ClusterCache cache;
    private Planner planner;
    private Operator operator;
    private OperatorHttpServer http;
    private volatile boolean stopped;
    /** Whether this replica reconciles: always without leader election, else while it holds the Lease. */
    private volatile boolean leading;
    private final Runnable lostLeadership;

    /** An operator that, should it lose its leadership, only logs it (tests; embedding). */
    public RespoolOperator(KubernetesClient client, OperatorOptions options) {
        this(client, options, () -> { });
    }

    /**
     * @param lostLeadership what to do when leadership is lost while running (not when stopping):
     *                       {@code respool operator} exits, so that two replicas never reconcile
     *                       at once and Kubernetes restarts it as a standby
     */
    public RespoolOperator(KubernetesClient client, OperatorOptions options, Runnable lostLeadership) {
        this.client = Objects.requireNonNull(client);
        this.options = Objects.requireNonNull(options);
        this.lostLeadership = Objects.requireNonNull(lostLeadership);
    }

    public synchronized void start() {
        long begin = System.nanoTime();
        registry.config().meterFilter(new CoreGroupTag());
        Gauge.builder("respool.leader", this, o -> o.leading ? 1 : 0)
                .description("1 while this replica holds the Lease and reconciles (always 1 without leader election)")
                .register(registry);
        cache = new ClusterCache(client, options.namespaces());
        planner = new Planner(cache::snapshot, new PlannerMetrics(registry), options.quietPeriod(),
                options.minInterval(), options.maxDelay());
        ReconcileTriggers triggers = new ReconcileTriggers(planner);
        cache.setListener(triggers);
        planner.addListener(triggers);
        EventRecorder events = new EventRecorder(client, identity);

        operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry))
                    .withReconciliationTerminationTimeout(options.shutdownTimeout())
                    .withCacheSyncTimeout(options.syncTimeout());
            if (options.leaderElection()) {
                // JOSDK would call System.exit on every loss of leadership, also when we stop on purpose.
                o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
                        .aLeaderElectionConfiguration(options.leaseName())
                        .withLeaseNamespace(options.leaseNamespace())
                        .withIdentity(identity)
                        .withExitOnStopLeading(false)
                        .withLeaderCallbacks(new LeaderCallbacks(
                                () -> {
                                    // JOSDK starts reconciling when this returns. Until now this replica
                                    // planned with admissions and nodes of its own, made when the workloads
                                    // had no status yet; the previous leader's are in status, and acting on
                                    // its own would move what that leader placed. So plan once more from the
                                    // statuses first, as a restarted operator does. Only here: following
                                    // status changes all along would make the leader replan on its own
                                    // status writes, which it already knows.
                                    planner.replanFromStatuses();
                                    leading = true;
                                    log.info("{} leads: reconciling from the admissions in status", identity);
                                },
                                () -> {
                                    leading = false;
                                    if (!stopped) {
                                        log.warn("{} lost its leadership: stopping", identity);
                                        lostLeadership.run();
                                    }
                                },
                                leader -> { }))
                        .build());
            }
        });
        operator.register(new ResourcePoolReconciler(planner, triggers, events),
                o -> o.withItemStore(new LeanItemStore<>()));
        operator.register(new VirtualMachineReconciler(client, planner, cache, triggers, events), this::scoped);
        operator.register(new ContainerReconciler(client, planner, cache, triggers, events), this::scoped);
        // Node heartbeats do not concern the plan: only the planner's triggers (and new nodes) reconcile.
        operator.register(new NodePlanReconciler(client, planner, cache, triggers),
                o -> o.withOnUpdateFilter((Node n, Node old) -> false).withItemStore(new LeanItemStore<>()));

        leading = !options.leaderElection();
        cache.start(options.syncTimeout());
        planner.start();
        PlanResult first = planner.latest();
        operator.start();
        if (options.httpPort() >= 0) {
            try {
                http = new OperatorHttpServer(options.httpPort(), registry,
                        () -> operator.getRuntimeInfo().isStarted(), this::unhealthy);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on port " + options.httpPort(), e);
            }
        }
        log.info("respool operator {} started in {} ms: {} namespaces, leader election {}, first plan: {} pools,"
                        + " {} workloads, {} nodes{}", identity, (System.nanoTime() - begin) / 1_000_000,
                options.namespaces().isEmpty() ? "all" : options.namespaces(), options.leaderElection() ? "on" : "off",
                first.pools().size(), first.workloads().size(), first.nodes().size(),
                http == null ? "" : ", http on port " + http.port());
    }

    /**
     * null when healthy, else what is wrong (for /healthz). A standby replica is healthy when its
     * own caches watch and it plans: JOSDK's controllers only run on the leader.
     */
    String unhealthy() {
        if (!planner.healthy()) {
            return "the last planning run failed (see the log)";
        }
        String cacheProblem = cache.unhealthy();
        if (cacheProblem != null) {
            return cacheProblem;
        }
        if (leading && !operator.getRuntimeInfo().allEventSourcesAreHealthy()) {
            return "unhealthy event sources: " + operator.getRuntimeInfo().unhealthyEventSources().entrySet().stream()
                    .filter(e -> !e.getValue().isEmpty())
                    .map(e -> e.getKey() + " " + e.getValue().keySet())
                    .toList();
        }
        return null;
    }

    /** The name this replica holds the Lease under (POD_NAME, else host name and a random suffix). */
    public String identity() {
        return identity;
    }

    /**
     * A workload controller watches the configured namespaces, else all of them through one informer
     * with a store of its own that drops managed fields (see {@link LeanItemStore}: one store per
     * informer, so not with one informer per namespace).
     */
    private <R extends HasMetadata> void scoped(ControllerConfigurationOverrider<R> o) {
        if (options.namespaces().isEmpty()) {
            o.withItemStore(new LeanItemStore<>());
        } else {
            o.settingNamespaces(options.namespaces());
        }
    }

    /** Whether this replica currently reconciles. */
    public boolean leading() {
        return leading;
    }

    public OperatorOptions options() {
        return options;
    }

    public Planner planner() {
        return planner;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The HTTP port in use, or -1. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /** Stops reconciling (waiting for reconciles in flight), then the planner, the caches, the endpoints. */
    @Override
    public synchronized void close() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (operator != null) {
            operator.stop();
        }
        if (planner != null) {
            planner.close();
        }
        if (cache != null) {
            cache.close();
        }
        if (http != null) {
            http.close();
        }
        log.info("respool operator stopped");
    }

    private static String defaultIdentity() {
        String pod = System.getenv("POD_NAME");
        if (pod != null && !pod.isEmpty()) {
            return pod;
        }
        try {
            return InetAddress.getLocalHost().getHostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        } catch (UnknownHostException e) {
            return "respool-" + UUID.randomUUID().toString().substring(0, 8);
        }
    }
}
