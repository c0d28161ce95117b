package io.respool.engine;

/** Entry point: one full computation of admission, placement, entitlements, caps and cgroup values. */
public final class Engine {

    private Engine() {
    }

    public static Plan compute(ClusterSpec spec) {
        return new Computation(spec).run();
    }
}
