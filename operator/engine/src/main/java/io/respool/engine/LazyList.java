package io.respool.engine;

import java.util.AbstractList;
import java.util.RandomAccess;
import java.util.function.IntFunction;

/**
 * An immutable list whose elements are built on first access and kept. A plan over 100,000
 * workloads is often read in part ({@link EngineState}'s updates hand out only the statuses that
 * changed), so its statuses are not all built up front. Elements are immutable records: a racing
 * second build yields an equal one.
 */
final class LazyList<T> extends AbstractList<T> implements RandomAccess {

    /** Builds the elements from {@code from} to {@code to} (exclusive) that {@code into} lacks. */
    interface RangeBuilder {
        void build(int from, int to, Object[] into);
    }

    private final Object[] built;
    private final int run;
    private final RangeBuilder build;
    /** Where the last build ended: a reader asking for this index next is reading in order. */
    private int next;

    LazyList(int size, IntFunction<T> build) {
        this(size, 1, (from, to, into) -> into[from] = build.apply(from));
    }

    /**
     * For builders that read their sources much faster in runs of consecutive elements: a reader
     * going through the list in order gets them built {@code run} at a time, one reading a few
     * here and there (an incremental update's changed statuses) one at a time.
     */
    LazyList(int size, int run, RangeBuilder build) {
        this.built = new Object[size];
        this.run = run;
        this.build = build;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get(int index) {
        Object e = built[index];
        if (e == null) {
            int to = index == next ? Math.min(built.length, index + run) : index + 1;
            build.build(index, to, built);
            next = to;
            e = built[index];
        }
        return (T) e;
    }

    @Override
    public int size() {
        return built.length;
    }
}
