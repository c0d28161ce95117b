package io.respool.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.respool.agent.enforce.ApplyLoop;
import io.respool.agent.enforce.PlanEnforcer;
import io.respool.agent.http.AgentHttpServer;
import io.respool.agent.http.AgentMetrics;
import io.respool.agent.http.Health;
import io.respool.agent.kube.PlanWatcher;
import io.respool.agent.kube.StatusPublisher;
import io.respool.agent.report.NodeReport;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The node agent, assembled: the apply loop over the {@link PlanEnforcer}, fed by the plan
 * watcher (or a fixed plan), reporting to the status publisher, with metrics and health served
 * over HTTP.
 */
public final class NodeAgent implements AutoCloseable {

    private final AgentConfig config;
    private final AgentMetrics metrics = new AgentMetrics();
    private final ApplyLoop loop;
    private final List<AutoCloseable> parts = new ArrayList<>();
    private final Instant started;
    private PlanWatcher watcher;
    private StatusPublisher publisher;
    private AgentHttpServer http;

    private NodeAgent(AgentConfig config, NodeTargets initial, Consumer<NodeReport> extraListener, Clock clock) {
        this.config = config;
        this.started = clock.instant();
        PlanEnforcer enforcer = new PlanEnforcer(config, metrics, clock);
        this.loop = new ApplyLoop(enforcer, initial, config.driftPeriod(), report -> {
            if (publisher != null) {
                publisher.accept(report);
            }
            extraListener.accept(report);
        }, metrics);
    }

    /** Watches the node's NodeResourcePlan through {@code client} and writes its status. */
    public static NodeAgent watching(AgentConfig config, KubernetesClient client) throws IOException {
        NodeAgent agent = new NodeAgent(config, NodeTargets.empty(config.nodeName()), r -> { }, Clock.systemUTC());
        agent.watcher = new PlanWatcher(client, config.nodeName(), agent.loop::submit);
        agent.publisher = new StatusPublisher(client, config.nodeName(), config.statusInterval(), agent.metrics,
                Clock.systemUTC(), agent.watcher::latest);
        agent.startHttp();
        agent.loop.start();
        agent.watcher.start();
        agent.parts.add(agent.watcher);
        agent.parts.add(agent.loop);
        agent.parts.add(agent.publisher);
        return agent;
    }

    /** Applies a fixed plan (no cluster), handing each pass's report to {@code listener}. */
    public static NodeAgent fixed(AgentConfig config, NodeTargets plan, Consumer<NodeReport> listener)
            throws IOException {
        NodeAgent agent = new NodeAgent(config, plan, listener, Clock.systemUTC());
        agent.startHttp();
        agent.loop.start();
        agent.parts.add(agent.loop);
        return agent;
    }

    private void startHttp() throws IOException {
        if (config.httpPort() >= 0) {
            http = new AgentHttpServer(config.httpPort(), metrics, this::liveness, this::readiness);
            parts.add(http);
        }
    }

    public AgentMetrics metrics() {
        return metrics;
    }

    /** The port of the metrics and health endpoints, or -1 when they are off. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /** Live while passes keep ending: at most three drift periods (and a minute) apart. */
    public Health liveness() {
        Duration limit = config.driftPeriod().multipliedBy(3).plusMinutes(1);
        Instant last = loop.lastPassEnd();
        Instant now = Instant.now();
        if (last == null) {
            return now.isBefore(started.plus(limit)) ? new Health(true, "starting")
                    : new Health(false, "no pass has ended since the start " + Duration.between(started, now).toSeconds()
                    + " s ago");
        }
        if (now.isAfter(last.plus(limit))) {
            return new Health(false, "the apply loop is stuck: last pass ended at " + last);
        }
        return new Health(true, "last pass ended at " + last);
    }

    /** Ready once the cgroups were found, a pass ended and (with a cluster) the plan was listed. */
    public Health readiness() {
        NodeReport r = loop.lastReport();
        if (r == null) {
            return new Health(false, "no pass has ended yet");
        }
        if (r.problem() != null) {
            return new Health(false, r.problem());
        }
        if (watcher != null && !watcher.synced()) {
            return new Health(false, "the NodeResourcePlan informer has not synced yet");
        }
        if (publisher != null && publisher.lastError() != null) {
            return new Health(true, "applying; status writes failing: " + publisher.lastError());
        }
        return new Health(true, "cgroup " + r.version().label() + ", " + r.workloads().size() + " workload(s)");
    }

    @Override
    public void close() {
        for (AutoCloseable c : parts.reversed()) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing down: nothing left to report it to
            }
        }
    }
}
