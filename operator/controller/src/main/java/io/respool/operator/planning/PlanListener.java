package io.respool.operator.planning;

/** Told after every engine run, on the planner thread. */
@FunctionalInterface
public interface PlanListener {

    /** @param previous the run before, or null after the first run */
    void planned(PlanResult previous, PlanResult next);
}
