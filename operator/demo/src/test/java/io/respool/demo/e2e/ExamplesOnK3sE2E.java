package io.respool.demo.e2e;

import io.respool.demo.Cluster;
import org.junit.jupiter.api.condition.EnabledIf;

/** {@link ExamplesE2E} on k3s; skipped without a Docker engine. */
@EnabledIf(value = "io.respool.demo.e2e.K3sCluster#dockerAvailable", disabledReason = "no Docker engine")
class ExamplesOnK3sE2E extends ExamplesE2E {

    @Override
    protected Cluster newCluster() {
        return K3sCluster.startOrSkip(localOptions());
    }
}
