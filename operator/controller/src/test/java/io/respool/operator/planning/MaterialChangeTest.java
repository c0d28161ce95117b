package io.respool.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import io.respool.engine.Dimension;
import io.respool.engine.Quantities;
import io.respool.engine.WorkloadDimensionStatus;
import io.respool.engine.WorkloadKind;
import io.respool.engine.WorkloadStatus;
import io.respool.operator.cluster.WorkloadRef;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaterialChangeTest {

    private static final WorkloadRef REF = new WorkloadRef(WorkloadKind.CONTAINER, "t", "web");

    private static PlanResult.WorkloadView view(boolean admitted, String node, long entitlement, long reservation) {
        WorkloadDimensionStatus cpu = new WorkloadDimensionStatus(reservation, 2000, 2000, 2000, 2000, entitlement,
                2000, entitlement);
        WorkloadStatus status = new WorkloadStatus(WorkloadKind.CONTAINER, "t", "web", "p", admitted,
                admitted ? "Admitted" : "InsufficientReservation", admitted ? null : "no room", node,
                Map.of(Dimension.CPU, cpu));
        return new PlanResult.WorkloadView(REF, "uid-1", 1, status, null, false);
    }

    @Test
    void entitlementMovesWithinTwoPercentAreNotWorthAWrite() {
        assertThat(MaterialChange.workload(view(true, "n1", 1000, 0), view(true, "n1", 1015, 0))).isFalse();
        assertThat(MaterialChange.workload(view(true, "n1", 1000, 0), view(true, "n1", 1021, 0))).isTrue();
    }

    @Test
    void anyStructuralChangeIsWorthAWrite() {
        assertThat(MaterialChange.workload(view(true, "n1", 1000, 0), view(true, "n2", 1000, 0))).isTrue();
        assertThat(MaterialChange.workload(view(true, "n1", 1000, 0), view(false, null, 1000, 0))).isTrue();
        assertThat(MaterialChange.workload(view(true, "n1", 1000, 0), view(true, "n1", 1000, 1))).isTrue();
        assertThat(MaterialChange.workload(null, view(true, "n1", 1000, 0))).isTrue();
        assertThat(MaterialChange.workload(view(true, "n1", 1000, 0), view(true, "n1", 1000, 0))).isFalse();
    }

    @Test
    void unlimitedAndZeroAreNeverCloseToSomethingElse() {
        assertThat(MaterialChange.close(Quantities.UNLIMITED, 1_000_000)).isFalse();
        assertThat(MaterialChange.close(0, 1)).isFalse();
        assertThat(MaterialChange.close(Quantities.UNLIMITED, Quantities.UNLIMITED)).isTrue();
    }
}
