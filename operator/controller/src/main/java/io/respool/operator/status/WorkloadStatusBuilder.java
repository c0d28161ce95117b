package io.respool.operator.status;

import io.respool.api.WorkloadStatusFields;
import io.respool.engine.WorkloadStatus;
import io.respool.operator.planning.PlanResult.WorkloadView;

/**
 * A workload's status from its part of the plan and what its reconciler observed of the object it
 * owns: {@code Admitted} and {@code Placed} come from the engine, {@code Ready} and the phase from
 * the owned Pod or KubeVirt VM, {@code Enforced} from the node agent's report in its node's
 * NodeResourcePlan ({@link Enforcement}).
 */
public final class WorkloadStatusBuilder {

    public static final String ADMITTED = WorkloadStatusFields.ADMITTED;
    public static final String PLACED = "Placed";
    public static final String READY = "Ready";
    public static final String ENFORCED = Enforcement.ENFORCED;

    /** Phases (status.phase). */
    public static final String PENDING = "Pending";
    public static final String REFUSED = "Refused";
    public static final String RUNNING = "Running";
    public static final String STOPPED = "Stopped";
    public static final String FAILED = "Failed";

    /** Engine reason of a workload whose runStrategy keeps it stopped. */
    public static final String NOT_RUNNING = "NotRunning";

    /** What the reconciler observed: whether the workload is ready, why, and its phase. */
    public record Observation(boolean ready, String reason, String message, String phase) {
    }

    private WorkloadStatusBuilder() {
    }

    /** Whether the plan admits and places the workload: it should have its Pod or KubeVirt VM. */
    public static boolean active(WorkloadView view) {
        return view.status() != null && view.status().admitted() && view.status().node() != null;
    }

    /** Whether the plan keeps it stopped (runStrategy Halted). */
    public static boolean halted(WorkloadView view) {
        return view.status() != null && NOT_RUNNING.equals(view.status().reason());
    }

    /** The phase for a workload without an owned object to observe. */
    public static String phaseWithoutOwned(WorkloadView view) {
        if (halted(view)) {
            return STOPPED;
        }
        return view.status() != null && view.status().admitted() ? PENDING : REFUSED;
    }

    /**
     * Fills {@code into} (a fresh status object) from the plan, the observation and the enforcement
     * verdict (null: not placed).
     */
    public static <S extends WorkloadStatusFields> S build(S into, WorkloadStatusFields previous, WorkloadView view,
                                                           Observation observed, Enforcement.Verdict enforced) {
        into.setObservedGeneration(view.generation());
        Conditions conditions = new Conditions(previous == null ? null : previous.getConditions(), view.generation());
        WorkloadStatus s = view.status();
        if (s == null) {
            conditions.add(READY, false, view.refusal().reason(), view.refusal().message());
            conditions.add(ADMITTED, false, view.refusal().reason(), view.refusal().message());
            conditions.add(PLACED, false, view.refusal().reason(), "not admitted: " + view.refusal().message());
            enforced(conditions, Enforcement.notPlaced());
            into.setConditions(conditions.list());
            into.setPhase(REFUSED);
            into.setResources(null); // omitted: server-side apply drops the figures of a refused workload
            return into;
        }
        conditions.add(READY, observed.ready(), observed.reason(), observed.message());
        conditions.add(ADMITTED, s.admitted(), s.reason(), s.message());
        if (s.admitted() && s.node() != null) {
            conditions.add(PLACED, true, "Placed", "placed on node \"" + s.node() + "\"");
        } else if (s.admitted()) {
            conditions.add(PLACED, false, s.reason(), s.message());
        } else {
            conditions.add(PLACED, false, s.reason(), "not admitted: " + s.message());
        }
        enforced(conditions, s.admitted() && s.node() != null && enforced != null ? enforced : Enforcement.notPlaced());
        into.setConditions(conditions.list());
        into.setPhase(observed.phase());
        into.setNode(s.admitted() ? s.node() : null);
        into.setResources(Figures.workload(s));
        return into;
    }

    private static void enforced(Conditions conditions, Enforcement.Verdict verdict) {
        conditions.add(ENFORCED, verdict.status(), verdict.reason(), verdict.message());
    }
}
