package io.respool.demo;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.respool.agent.cgroup.QosClass;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a kubelet that the node agent depends on and KWOK does not simulate: a pod cgroup
 * for every pod running on a node, removed when the pod goes. Watches all pods and keeps
 * {@link KubeletCgroups} in step for the given nodes.
 */
public final class SimulatedKubelet implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimulatedKubelet.class);

    private final KubeletCgroups cgroups;
    private final Set<String> nodes;
    /** uid → node and QoS of the cgroups created. */
    private final Map<String, Placed> created = new ConcurrentHashMap<>();
    private final SharedIndexInformer<Pod> pods;

    private record Placed(String node, QosClass qos) {
    }

    public SimulatedKubelet(KubernetesClient client, KubeletCgroups cgroups, Set<String> nodes) {
        this.cgroups = cgroups;
        this.nodes = Set.copyOf(nodes);
        nodes.forEach(cgroups::prepareNode);
        pods = client.pods().inAnyNamespace().runnableInformer(0);
        pods.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                sync(pod, false);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                sync(pod, false);
            }

            @Override
            public void onDelete(Pod pod, boolean unknownFinalState) {
                sync(pod, true);
            }
        });
        try {
            pods.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the simulated kubelet's pod informer did not start: " + e, e);
        }
    }

    private synchronized void sync(Pod pod, boolean deleted) {
        String uid = pod.getMetadata().getUid();
        String node = pod.getSpec().getNodeName();
        boolean running = !deleted && pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus() != null
                && "Running".equals(pod.getStatus().getPhase());
        try {
            if (running && node != null && nodes.contains(node) && !created.containsKey(uid)) {
                QosClass qos = qos(pod);
                cgroups.podStarted(node, uid, qos);
                created.put(uid, new Placed(node, qos));
            } else if (!running && created.containsKey(uid)) {
                Placed p = created.remove(uid);
                cgroups.podGone(p.node(), uid, p.qos());
            }
        } catch (RuntimeException e) {
            log.warn("simulated kubelet: cgroup of pod {}/{}: {}", pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), e.getMessage());
        }
    }

    private static QosClass qos(Pod pod) {
        String q = pod.getStatus() == null ? null : pod.getStatus().getQosClass();
        return switch (q == null ? "" : q) {
            case "Guaranteed" -> QosClass.GUARANTEED;
            case "BestEffort" -> QosClass.BEST_EFFORT;
            default -> QosClass.BURSTABLE;
        };
    }

    /** Pod cgroups that exist now. */
    public int podCount() {
        return created.size();
    }

    @Override
    public void close() {
        pods.stop();
    }
}
