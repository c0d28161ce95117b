package io.respool.engine.property;

import io.respool.engine.Quantities;

/**
 * Saturating arithmetic for the test-side reference model, where {@link Quantities#UNLIMITED}
 * (Long.MAX_VALUE) stands for "no limit" / "unbounded". Written here on purpose instead of using the
 * engine's helpers, so the reference stays independent of the code under test.
 */
final class Sat {

    static final long INF = Quantities.UNLIMITED;

    private Sat() {
    }

    static long add(long a, long b) {
        if (a == INF || b == INF) {
            return INF;
        }
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? INF : r;
    }

    /** a − b for a possibly unlimited a (unlimited stays unlimited). */
    static long sub(long a, long b) {
        return a == INF ? INF : a - b;
    }

    static long min(long a, long b) {
        return Math.min(a, b);
    }

    static long max(long a, long b) {
        return Math.max(a, b);
    }

    static String show(long v) {
        return v == INF ? "∞" : Long.toString(v);
    }
}
