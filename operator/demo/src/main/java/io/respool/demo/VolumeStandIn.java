package io.respool.demo;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in storage provisioner for simulated clusters: every PersistentVolumeClaim without a
 * volume gets a PersistentVolume of its size and access modes, bound to it both ways with the
 * annotations Kubernetes' volume binder sets, so that the scheduler accepts pods that use it. The
 * volumes are {@code hostPath} volumes nobody mounts (there is no kubelet); a released claim's
 * volume is deleted.
 */
public final class VolumeStandIn implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VolumeStandIn.class);
    private static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
    private static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";

    private final KubernetesClient client;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "volume-stand-in");
        t.setDaemon(true);
        return t;
    });
    private SharedIndexInformer<PersistentVolumeClaim> claims;

    private VolumeStandIn(KubernetesClient client) {
        this.client = client;
    }

    public static VolumeStandIn start(KubernetesClient client) {
        VolumeStandIn s = new VolumeStandIn(client);
        s.claims = client.persistentVolumeClaims().inAnyNamespace().runnableInformer(0);
        s.claims.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(PersistentVolumeClaim claim) {
                s.worker.execute(() -> s.bind(claim));
            }

            @Override
            public void onUpdate(PersistentVolumeClaim old, PersistentVolumeClaim claim) {
                s.worker.execute(() -> s.bind(claim));
            }

            @Override
            public void onDelete(PersistentVolumeClaim claim, boolean unknownFinalState) {
                s.worker.execute(() -> s.release(claim));
            }
        });
        try {
            s.claims.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the volume stand-in's informer did not start: " + e, e);
        }
        return s;
    }

    private static String volumeName(PersistentVolumeClaim claim) {
        return "pv-" + claim.getMetadata().getUid();
    }

    private void bind(PersistentVolumeClaim claim) {
        if (claim.getMetadata().getDeletionTimestamp() != null
                || claim.getSpec().getVolumeName() != null && !claim.getSpec().getVolumeName().isEmpty()) {
            return;
        }
        String ns = claim.getMetadata().getNamespace();
        String name = claim.getMetadata().getName();
        Quantity size = claim.getSpec().getResources() == null || claim.getSpec().getResources().getRequests() == null
                ? new Quantity("1Gi") : claim.getSpec().getResources().getRequests().getOrDefault("storage",
                new Quantity("1Gi"));
        List<String> modes = claim.getSpec().getAccessModes() == null || claim.getSpec().getAccessModes().isEmpty()
                ? List.of("ReadWriteOnce") : claim.getSpec().getAccessModes();
        PersistentVolume volume = new PersistentVolumeBuilder()
                .withNewMetadata().withName(volumeName(claim))
                .withAnnotations(Map.of("respool.io/simulated", "volume stand-in: nothing is stored"))
                .endMetadata()
                .withNewSpec()
                .withCapacity(Map.of("storage", size))
                .withAccessModes(modes)
                .withPersistentVolumeReclaimPolicy("Delete")
                .withStorageClassName(claim.getSpec().getStorageClassName())
                .withVolumeMode(claim.getSpec().getVolumeMode())
                .withNewHostPath().withPath("/var/lib/respool-simulated/" + ns + "/" + name).endHostPath()
                .withNewClaimRef().withApiVersion("v1").withKind("PersistentVolumeClaim").withNamespace(ns)
                .withName(name).withUid(claim.getMetadata().getUid()).endClaimRef()
                .endSpec()
                .build();
        try {
            if (client.persistentVolumes().withName(volume.getMetadata().getName()).get() == null) {
                client.persistentVolumes().resource(volume).create();
            }
            client.persistentVolumes().withName(volume.getMetadata().getName()).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Bound\"}}");
            client.persistentVolumeClaims().inNamespace(ns).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"metadata\":{\"annotations\":{\"" + BOUND_BY_CONTROLLER + "\":\"yes\",\"" + BIND_COMPLETED
                            + "\":\"yes\"}},\"spec\":{\"volumeName\":\"" + volume.getMetadata().getName() + "\"}}");
            client.persistentVolumeClaims().inNamespace(ns).withName(name).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"phase\":\"Bound\",\"accessModes\":"
                            + toJsonList(modes) + ",\"capacity\":{\"storage\":\"" + size + "\"}}}");
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                log.warn("volume stand-in: cannot bind {}/{}: {}", ns, name, e.getMessage());
            }
        }
    }

    private void release(PersistentVolumeClaim claim) {
        try {
            client.persistentVolumes().withName(volumeName(claim)).delete();
        } catch (KubernetesClientException e) {
            log.debug("volume stand-in: {} not deleted: {}", volumeName(claim), e.getMessage());
        }
    }

    private static String toJsonList(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").reduce((a, b) -> a + "," + b).map(s -> "[" + s + "]")
                .orElse("[]");
    }

    @Override
    public void close() {
        worker.shutdownNow();
        if (claims != null) {
            claims.stop();
        }
    }
}
