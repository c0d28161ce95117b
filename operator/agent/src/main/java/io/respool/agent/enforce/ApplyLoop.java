package io.respool.agent.enforce;

import io.respool.agent.NodeTargets;
import io.respool.agent.http.AgentMetrics;
import io.respool.agent.report.NodeReport;
import io.respool.agent.report.WorkloadReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs passes of the {@link PlanEnforcer} on one thread: at once when the plan changes, and every
 * drift period to restore anything changed behind the agent's back and to refresh usage. Each
 * pass's report goes to a listener (the status writer). A failing pass is logged and counted;
 * the loop goes on.
 */
public final class ApplyLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApplyLoop.class);

    private final PlanEnforcer enforcer;
    private final Duration period;
    private final Consumer<NodeReport> listener;
    private final AgentMetrics metrics;
    private final ScheduledExecutorService executor;
    private final AtomicReference<NodeTargets> plan;
    private final AtomicReference<NodeReport> lastReport = new AtomicReference<>();
    private final AtomicBoolean planPending = new AtomicBoolean();
    private volatile Instant lastPassEnd;

    public ApplyLoop(PlanEnforcer enforcer, NodeTargets initial, Duration period, Consumer<NodeReport> listener,
                     AgentMetrics metrics) {
        this.enforcer = enforcer;
        this.period = period;
        this.listener = listener;
        this.metrics = metrics;
        this.plan = new AtomicReference<>(initial);
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "respool-agent-apply");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the periodic passes (the first one at once). */
    public void start() {
        executor.scheduleWithFixedDelay(() -> pass(AgentMetrics.Trigger.PERIODIC), 0, period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** A new plan: applied at once (passes never overlap; a burst of updates coalesces). */
    public void submit(NodeTargets next) {
        plan.set(Objects.requireNonNull(next));
        if (planPending.compareAndSet(false, true)) {
            executor.execute(() -> {
                planPending.set(false);
                pass(AgentMetrics.Trigger.PLAN);
            });
        }
    }

    public NodeTargets plan() {
        return plan.get();
    }

    /** The last pass's report, or null before the first pass ended. */
    public NodeReport lastReport() {
        return lastReport.get();
    }

    /** When the last pass ended, or null. */
    public Instant lastPassEnd() {
        return lastPassEnd;
    }

    public Duration period() {
        return period;
    }

    private void pass(AgentMetrics.Trigger trigger) {
        long start = System.nanoTime();
        try {
            NodeTargets p = plan.get();
            NodeReport report = enforcer.enforce(p);
            int enforced = 0;
            int partial = 0;
            int notFound = 0;
            for (WorkloadReport w : report.workloads()) {
                if (!w.found()) {
                    notFound++;
                } else if (w.fullyEnforced()) {
                    enforced++;
                } else {
                    partial++;
                }
            }
            lastReport.set(report);
            lastPassEnd = report.at();
            metrics.pass(trigger, System.nanoTime() - start, p.generation(), enforced, partial, notFound,
                    report.at().toEpochMilli());
            listener.accept(report);
        } catch (RuntimeException | Error e) {
            LOG.error("pass over the node's plan failed", e);
            metrics.error(AgentMetrics.ErrorKind.INTERNAL, 1);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("apply loop did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
