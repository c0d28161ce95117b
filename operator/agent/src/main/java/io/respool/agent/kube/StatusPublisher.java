package io.respool.agent.kube;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.respool.agent.http.AgentMetrics;
import io.respool.agent.report.NodeReport;
import io.respool.api.NodeResourcePlan;
import io.respool.api.NodeResourcePlanStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes pass reports into the node's {@link NodeResourcePlan} status by server-side apply on the
 * status subresource, as field manager {@value #FIELD_MANAGER} (the operator owns the spec, the
 * agent the status). A change that matters (generation, found/applied values, enforcement,
 * conditions) goes out at once; usage and demand alone at most once per status interval, which
 * keeps a thousand nodes from writing every drift period. Writes happen on their own thread, the
 * latest report winning, so a slow API server never holds up the cgroup loop.
 */
public final class StatusPublisher implements Consumer<NodeReport>, AutoCloseable {

    public static final String FIELD_MANAGER = "respool-agent";
    private static final Logger LOG = LoggerFactory.getLogger(StatusPublisher.class);

    private final KubernetesClient client;
    private final String nodeName;
    private final Duration interval;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final Supplier<NodeResourcePlan> current;
    private final ExecutorService executor;
    private final AtomicReference<NodeReport> pending = new AtomicReference<>();
    private String lastSignature;
    private Instant lastWrite = Instant.EPOCH;
    private volatile String lastError;

    /**
     * @param current the plan as last seen by the watcher (for its existence and conditions), or null
     */
    public StatusPublisher(KubernetesClient client, String nodeName, Duration interval, AgentMetrics metrics,
                           Clock clock, Supplier<NodeResourcePlan> current) {
        this.client = client;
        this.nodeName = nodeName;
        this.interval = interval;
        this.metrics = metrics;
        this.clock = clock;
        this.current = current;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "respool-agent-status");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void accept(NodeReport report) {
        if (pending.getAndSet(report) == null) {
            executor.execute(this::drain);
        }
    }

    /** The last error writing the status, or null after a successful write. */
    public String lastError() {
        return lastError;
    }

    private void drain() {
        NodeReport report = pending.getAndSet(null);
        if (report == null) {
            return;
        }
        NodeResourcePlan plan = current.get();
        if (plan == null) {
            return; // no plan object for this node (yet): nothing to write the status into
        }
        List<Condition> previous = plan.getStatus() == null ? List.of() : plan.getStatus().getConditions();
        NodeResourcePlanStatus status = StatusAdapter.toStatus(report, previous);
        String signature = StatusAdapter.signature(status);
        Instant now = clock.instant();
        if (signature.equals(lastSignature) && now.isBefore(lastWrite.plus(interval))) {
            return;
        }
        try {
            write(status);
            lastSignature = signature;
            lastWrite = now;
            metrics.statusWritten();
            if (lastError != null) {
                LOG.info("status of NodeResourcePlan {} written again", nodeName);
            }
            lastError = null;
        } catch (KubernetesClientException e) {
            metrics.error(AgentMetrics.ErrorKind.STATUS, 1);
            String error = e.getCode() + " " + e.getMessage();
            if (!error.equals(lastError)) {
                LOG.warn("cannot write the status of NodeResourcePlan {}: {}", nodeName, error);
            }
            lastError = error;
        } catch (RuntimeException e) {
            metrics.error(AgentMetrics.ErrorKind.STATUS, 1);
            LOG.error("cannot write the status of NodeResourcePlan {}", nodeName, e);
            lastError = e.toString();
        }
    }

    private void write(NodeResourcePlanStatus status) {
        NodeResourcePlan patch = new NodeResourcePlan();
        patch.setMetadata(new ObjectMetaBuilder().withName(nodeName).build());
        patch.setStatus(status);
        PatchContext ssa = new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
                .withFieldManager(FIELD_MANAGER).withForce(true).build();
        client.resources(NodeResourcePlan.class).withName(nodeName).subresource("status").patch(ssa, patch);
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
