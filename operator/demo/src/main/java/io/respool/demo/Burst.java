package io.respool.demo;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** Creates many objects at once from several threads, as a busy user or a GitOps sync would. */
public final class Burst {

    private Burst() {
    }

    /**
     * Creates every object (in order, {@code threads} at a time; a 429 or 5xx is retried) and
     * returns when all exist.
     *
     * @param created called with the running count after each creation (from the creating threads)
     */
    public static void create(KubernetesClient client, List<? extends HasMetadata> objects, int threads,
                              IntConsumer created) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "burst");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger count = new AtomicInteger();
        try {
            List<Future<?>> futures = objects.stream().<Future<?>>map(o -> pool.submit(() -> {
                createWithRetry(client, o);
                created.accept(count.incrementAndGet());
            })).toList();
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void createWithRetry(KubernetesClient client, HasMetadata o) {
        for (int attempt = 1; ; attempt++) {
            try {
                client.resource(o).create();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409 && attempt > 1) {
                    return; // an earlier attempt did create it
                }
                boolean retry = e.getCode() == 429 || e.getCode() >= 500 || e.getCode() == 0;
                if (!retry || attempt >= 10) {
                    throw e;
                }
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
