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

    private final Object[] built;
    private final IntFunction<T> build;

    LazyList(int size, IntFunction<T> build) {
        this.built = new Object[size];
        this.build = build;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get(int index) {
        Object e = built[index];
        if (e == null) {
            e = build.apply(index);
            built[index] = e;
        }
        return (T) e;
    }

    @Override
    public int size() {
        return built.length;
    }
}
