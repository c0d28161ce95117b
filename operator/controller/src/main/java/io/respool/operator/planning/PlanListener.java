package io.respool.operator.planning;

/** Told after every engine run, on the planner thread. */
@FunctionalInterface
public interface PlanListener {

    /**
     * @param previous the run before, or null when there is none to compare with: the first run,
     *                 or the first after {@link Planner#replanFromStatuses()} (a takeover)
     */
    void planned(PlanResult previous, PlanResult next);
}
