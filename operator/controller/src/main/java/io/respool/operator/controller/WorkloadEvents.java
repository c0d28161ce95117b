package io.respool.operator.controller;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.respool.api.WorkloadStatusFields;
import io.respool.operator.status.Conditions;
import io.respool.operator.status.WorkloadStatusBuilder;
import java.util.Objects;

/** The Events a workload's status change deserves: refused, admitted, placed, re-placed. */
final class WorkloadEvents {

    private WorkloadEvents() {
    }

    static void emit(EventRecorder events, HasMetadata workload, WorkloadStatusFields before,
                     WorkloadStatusFields after) {
        Condition was = before == null ? null : Conditions.find(before.getConditions(), WorkloadStatusBuilder.ADMITTED);
        Condition is = Conditions.find(after.getConditions(), WorkloadStatusBuilder.ADMITTED);
        if (is == null) {
            return;
        }
        boolean admittedNow = "True".equals(is.getStatus());
        boolean admittedBefore = was != null && "True".equals(was.getStatus());
        if (!admittedNow && !WorkloadStatusBuilder.NOT_RUNNING.equals(is.getReason())
                && (was == null || admittedBefore || !Objects.equals(was.getReason(), is.getReason()))) {
            events.warning(workload, is.getReason(), is.getMessage());
        }
        if (admittedNow && !admittedBefore) {
            events.normal(workload, "Admitted", is.getMessage());
            return;
        }
        String nodeBefore = before == null ? null : before.getNode();
        String nodeNow = after.getNode();
        if (nodeNow != null && nodeBefore == null && admittedBefore) {
            events.normal(workload, "Placed", "placed on node \"" + nodeNow + "\"");
        } else if (nodeNow != null && nodeBefore != null && !nodeNow.equals(nodeBefore)) {
            events.normal(workload, "Replaced", "moved from node \"" + nodeBefore + "\" to node \"" + nodeNow
                    + "\": \"" + nodeBefore + "\" can no longer hold it");
        }
    }
}
