package io.respool.agent.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.respool.agent.NodeTargets;
import io.respool.api.NodeResourcePlan;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches this node's {@link NodeResourcePlan} (an informer on that one name) and hands every new
 * spec to the apply loop. Status-only updates (the agent's own writes) do not trigger a pass: only
 * a new generation does. A deleted plan becomes an empty one, so the agent gives the pods back
 * their previous values.
 */
public final class PlanWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PlanWatcher.class);
    /** Resync: the informer re-delivers the cached object; a pass runs anyway every drift period. */
    private static final long RESYNC_MILLIS = 0;

    private final KubernetesClient client;
    private final String nodeName;
    private final Consumer<NodeTargets> sink;
    private final AtomicReference<NodeResourcePlan> latest = new AtomicReference<>();
    private Long submittedGeneration;
    private SharedIndexInformer<NodeResourcePlan> informer;

    public PlanWatcher(KubernetesClient client, String nodeName, Consumer<NodeTargets> sink) {
        this.client = client;
        this.nodeName = nodeName;
        this.sink = sink;
    }

    public void start() {
        informer = client.resources(NodeResourcePlan.class).withName(nodeName).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(NodeResourcePlan plan) {
                seen(plan);
            }

            @Override
            public void onUpdate(NodeResourcePlan before, NodeResourcePlan plan) {
                seen(plan);
            }

            @Override
            public void onDelete(NodeResourcePlan plan, boolean finalStateUnknown) {
                latest.set(null);
                synchronized (PlanWatcher.this) {
                    submittedGeneration = null;
                }
                LOG.info("NodeResourcePlan {} deleted: releasing every pod cgroup", nodeName);
                sink.accept(NodeTargets.empty(nodeName));
            }
        }, RESYNC_MILLIS);
    }

    /** The plan as last seen, or null when there is none. */
    public NodeResourcePlan latest() {
        return latest.get();
    }

    /** Whether the informer has listed the plan (or its absence) at least once. */
    public boolean synced() {
        return informer != null && informer.hasSynced();
    }

    private void seen(NodeResourcePlan plan) {
        latest.set(plan);
        Long generation = plan.getMetadata().getGeneration();
        synchronized (this) {
            if (submittedGeneration != null && Objects.equals(submittedGeneration, generation)) {
                return;
            }
            submittedGeneration = generation;
        }
        NodeTargets targets = PlanAdapter.toTargets(plan);
        LOG.info("NodeResourcePlan {} generation {}: {} workload(s)", nodeName, generation, targets.workloads().size());
        sink.accept(targets);
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}
