package io.respool.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.respool.api.AppliedWorkload;
import io.respool.api.DimensionEnforcement;
import io.respool.api.NodeResourcePlan;
import io.respool.api.NodeResourcePlanStatus;
import io.respool.api.PlannedWorkload;
import io.respool.engine.Dimension;
import io.respool.operator.cluster.WorkloadRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A workload's {@code Enforced} condition, from what the node agent reported in its node's
 * {@code NodeResourcePlan} status (semantics.md section 8: what the node cannot enforce is reported
 * as not enforced, never silently dropped):
 *
 * <ul>
 *   <li>{@code True, AllEnforced}: the agent's report for the workload's current plan entry says
 *       every dimension in play (a target in the plan entry) is enforced;</li>
 *   <li>{@code False, PartiallyEnforced} (some dimensions in effect) or {@code NotApplied} (none, or
 *       the agent's report leaves the workload out): the message names the node and each dimension
 *       not enforced with the agent's reason and message;</li>
 *   <li>{@code Unknown, NotPlaced}: no node; {@code Unknown, AgentNotReporting}: the node has no plan
 *       listing the workload yet, or the agent has not reported on the plan generation at which the
 *       workload's entry last changed ({@code status.observedGeneration} is older).</li>
 * </ul>
 *
 * Judging staleness per entry, not per plan, keeps the other workloads of a node from flipping to
 * Unknown (and costing two status writes each) whenever one workload's targets move.
 */
public final class Enforcement {

    public static final String ENFORCED = "Enforced";

    public static final String ALL_ENFORCED = "AllEnforced";
    public static final String PARTIALLY_ENFORCED = "PartiallyEnforced";
    public static final String NOT_APPLIED = "NotApplied";
    public static final String AGENT_NOT_REPORTING = "AgentNotReporting";
    public static final String NOT_PLACED = "NotPlaced";

    /** Longest message; the node plan's status has every detail. */
    static final int MAX_MESSAGE = 1000;

    /** The condition's status ({@code True}, {@code False}, {@code Unknown}), reason and message. */
    public record Verdict(String status, String reason, String message) {
    }

    private static final Verdict NOT_PLACED_VERDICT = new Verdict("Unknown", NOT_PLACED,
            "not placed on a node: nothing to enforce");

    private Enforcement() {
    }

    public static Verdict notPlaced() {
        return NOT_PLACED_VERDICT;
    }

    /**
     * @param ref   the workload
     * @param node  the node it is placed on, or null
     * @param plan  that node's NodeResourcePlan, or null
     * @param since the plan generation at which the workload's entry in the plan last changed: a
     *              report of an older generation describes other targets
     */
    public static Verdict of(WorkloadRef ref, String node, NodeResourcePlan plan, long since) {
        if (node == null) {
            return NOT_PLACED_VERDICT;
        }
        PlannedWorkload entry = plan == null || plan.getSpec() == null ? null : planned(plan, ref);
        NodeResourcePlanStatus status = plan == null ? null : plan.getStatus();
        if (entry == null || status == null || status.getObservedGeneration() == null
                || status.getObservedGeneration() < since) {
            return waiting(node);
        }
        AppliedWorkload applied = applied(status, ref);
        if (applied != null && !Objects.equals(applied.getPodUID(), entry.getPodUID())) {
            return waiting(node); // a report about another pod of this workload
        }
        String where = "node \"" + node + "\"";
        if (applied == null) {
            Condition ready = Conditions.find(status.getConditions(), NodeResourcePlanStatus.READY);
            String why = ready != null && "False".equals(ready.getStatus())
                    ? "the node agent cannot apply the plan (" + ready.getReason() + ": " + ready.getMessage() + ")"
                    : "the node agent's report of plan generation " + status.getObservedGeneration()
                    + " does not list this workload";
            return new Verdict("False", NOT_APPLIED, cut("nothing enforced on " + where + ": " + why));
        }
        List<String> inPlay = new ArrayList<>();
        List<String> gaps = new ArrayList<>();
        for (Dimension d : Dimension.values()) {
            if (entry.target(d) == null) {
                continue;
            }
            inPlay.add(d.jsonName());
            DimensionEnforcement e = reported(applied, d);
            if (e == null) {
                gaps.add(d.jsonName() + " (not reported by the node agent)");
            } else if (!e.isEnforced()) {
                String detail = e.getMessage() == null || e.getMessage().isBlank() ? "" : ": " + e.getMessage();
                gaps.add(d.jsonName() + " (" + e.getReason() + detail + ")");
            }
        }
        if (gaps.isEmpty()) {
            return new Verdict("True", ALL_ENFORCED, inPlay.isEmpty()
                    ? "no dimension in play on " + where
                    : "the node agent on " + where + " enforces every dimension in play: " + String.join(", ", inPlay));
        }
        boolean none = gaps.size() == inPlay.size();
        return new Verdict("False", none ? NOT_APPLIED : PARTIALLY_ENFORCED,
                cut("not enforced on " + where + ": " + String.join("; ", gaps)));
    }

    private static Verdict waiting(String node) {
        return new Verdict("Unknown", AGENT_NOT_REPORTING, "the node agent on node \"" + node
                + "\" has not reported on this workload's current plan yet");
    }

    private static PlannedWorkload planned(NodeResourcePlan plan, WorkloadRef ref) {
        if (plan.getSpec().getWorkloads() == null) {
            return null;
        }
        for (PlannedWorkload w : plan.getSpec().getWorkloads()) {
            if (ref.kind().kindName().equals(w.getKind()) && ref.namespace().equals(w.getNamespace())
                    && ref.name().equals(w.getName())) {
                return w;
            }
        }
        return null;
    }

    private static AppliedWorkload applied(NodeResourcePlanStatus status, WorkloadRef ref) {
        if (status.getWorkloads() == null) {
            return null;
        }
        for (AppliedWorkload w : status.getWorkloads()) {
            if (ref.kind().kindName().equals(w.getKind()) && ref.namespace().equals(w.getNamespace())
                    && ref.name().equals(w.getName())) {
                return w;
            }
        }
        return null;
    }

    private static DimensionEnforcement reported(AppliedWorkload applied, Dimension d) {
        if (applied.getEnforcement() == null) {
            return null;
        }
        for (DimensionEnforcement e : applied.getEnforcement()) {
            if (d.jsonName().equals(e.getDimension())) {
                return e;
            }
        }
        return null;
    }

    private static String cut(String message) {
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...";
    }
}
