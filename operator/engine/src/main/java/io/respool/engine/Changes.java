package io.respool.engine;

import java.util.BitSet;

/** What an incremental update touched: workloads and pools whose reported figures moved. */
final class Changes {

    final BitSet workloads = new BitSet();
    final BitSet pools = new BitSet();
    /** Child pools whose entitlement or budget moved in the split just made (cleared by the caller). */
    final BitSet movedChildren = new BitSet();

    void workload(int w) {
        workloads.set(w);
    }

    void pool(int p) {
        pools.set(p);
        movedChildren.set(p);
    }

    void budget(int p) {
        movedChildren.set(p);
    }
}
