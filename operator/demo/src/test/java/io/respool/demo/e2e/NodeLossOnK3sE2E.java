package io.respool.demo.e2e;

import io.respool.demo.Cluster;
import org.junit.jupiter.api.condition.EnabledIf;

/** {@link NodeLossE2E} on k3s (its own controller manager collects the lost node's pods); skipped without Docker. */
@EnabledIf(value = "io.respool.demo.e2e.K3sCluster#dockerAvailable", disabledReason = "no Docker engine")
class NodeLossOnK3sE2E extends NodeLossE2E {

    @Override
    protected Cluster newCluster() {
        return K3sCluster.startOrSkip(localOptions());
    }
}
