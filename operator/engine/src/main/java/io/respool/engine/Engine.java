package io.respool.engine;

/** Entry point: one full computation of admission, placement, entitlements, caps and cgroup values. */
public final class Engine {

    private Engine() {
    }

    /** Keeps the engine's state for incremental updates (the operator's use). */
    public static EngineState prepare(ClusterSpec spec) {
        return new EngineState(spec);
    }

    public static Plan compute(ClusterSpec spec) {
        return new Computation(spec).run();
    }
}
