package io.respool.demo;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a kubelet does with a pod that is being deleted, for pods on KWOK's nodes: its containers
 * stop at once, then the pod object is removed with its UID as a precondition, so that a new pod
 * of the same name is never removed in its place.
 *
 * <p>This replaces KWOK's own deletion stage, which removes pods by name from a delayed work queue:
 * when a controller recreates a pod under the same name (respool's Container pods are named after
 * the Container) while KWOK is behind, KWOK removed the new pod too, again and again.
 */
public final class PodTerminator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PodTerminator.class);

    private final KubernetesClient client;
    private final ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "pod-terminator");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<Node> nodes;
    private volatile boolean closed;

    private PodTerminator(KubernetesClient client) {
        this.client = client;
    }

    public static PodTerminator start(KubernetesClient client) {
        PodTerminator t = new PodTerminator(client);
        t.nodes = client.nodes().runnableInformer(0);
        t.pods = client.pods().inAnyNamespace().runnableInformer(0);
        t.pods.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                t.consider(pod);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                t.consider(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean unknownFinalState) {
            }
        });
        try {
            t.nodes.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
            t.pods.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the pod terminator's informers did not start: " + e, e);
        }
        return t;
    }

    private void consider(Pod pod) {
        if (closed || pod.getMetadata().getDeletionTimestamp() == null || pod.getSpec().getNodeName() == null) {
            return;
        }
        Node node = nodes.getStore().getByKey(pod.getSpec().getNodeName());
        Map<String, String> annotations = node == null ? null : node.getMetadata().getAnnotations();
        if (annotations == null || !"fake".equals(annotations.get(LocalCluster.KWOK_ANNOTATION))) {
            return;
        }
        String uid = pod.getMetadata().getUid();
        if (pending.add(uid)) {
            workers.execute(() -> {
                try {
                    remove(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), uid);
                } finally {
                    pending.remove(uid);
                }
            });
        }
    }

    private void remove(String namespace, String name, String uid) {
        String body = "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"gracePeriodSeconds\":0,"
                + "\"preconditions\":{\"uid\":\"" + uid + "\"}}";
        try {
            client.raw("/api/v1/namespaces/" + namespace + "/pods/" + name, "DELETE", body);
        } catch (KubernetesClientException e) {
            // 404: gone already; 409: the UID precondition failed, a new pod has the name
            if (e.getCode() != 404 && e.getCode() != 409 && !closed) {
                log.warn("pod terminator: cannot remove pod {}/{}: {}", namespace, name, e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        workers.shutdownNow();
        if (pods != null) {
            pods.stop();
        }
        if (nodes != null) {
            nodes.stop();
        }
    }
}
