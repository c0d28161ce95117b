package io.respool.demo;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** respool's CustomResourceDefinitions, as the respool-api jar carries them (generated into META-INF/fabric8). */
public final class Crds {

    public static final List<String> RESPOOL = List.of("resourcepools.respool.io", "virtualmachines.respool.io",
            "containers.respool.io", "noderesourceplans.respool.io");

    private Crds() {
    }

    /** Applies the four CRDs (server-side) and waits until each is established. */
    public static void installRespool(KubernetesClient client) {
        for (String name : RESPOOL) {
            String resource = "/META-INF/fabric8/" + name + "-v1.yml";
            try (InputStream in = Crds.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("no " + resource + " on the class path (the respool-api jar)");
                }
                client.load(in).serverSideApply();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        for (String name : RESPOOL) {
            client.apiextensions().v1().customResourceDefinitions().withName(name)
                    .waitUntilCondition(Crds::established, 60, TimeUnit.SECONDS);
        }
    }

    static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
