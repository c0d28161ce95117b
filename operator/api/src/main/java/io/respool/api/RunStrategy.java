package io.respool.api;

/**
 * Whether a workload should be running (KubeVirt's run strategies). A workload that is not running
 * holds no reservation: like vSphere, admission happens at power-on.
 */
public enum RunStrategy {
    /** Keep it running; restart it whenever it stops. */
    Always,
    /** Restart it only after a failure. */
    RerunOnFailure,
    /** Start and stop it only on explicit request. */
    Manual,
    /** Keep it stopped. */
    Halted;

    /** Whether this strategy wants the workload up (and so holding its reservation). */
    public boolean running() {
        return this != Halted;
    }
}
