package io.respool.engine;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.IntToLongFunction;

/** Sorting by admission order (section 4: creation time first), cheap for the 100k objects of a large cluster. */
final class Orders {

    private static final int INDEX_BITS = 20;

    private Orders() {
    }

    /**
     * {@code items} sorted by {@code order}, equal orders by {@code ties}. A primitive sort of
     * (order, position) pairs when orders fit in 43 bits (creation times in milliseconds do); only
     * runs of equal orders pay for the comparator.
     */
    static int[] byOrder(int[] items, IntToLongFunction order, Comparator<Integer> ties) {
        int n = items.length;
        long[] key = new long[n];
        boolean packable = n < (1 << INDEX_BITS);
        for (int k = 0; k < n; k++) {
            key[k] = order.applyAsLong(items[k]);
            packable &= key[k] >= 0 && key[k] < (1L << (63 - INDEX_BITS));
        }
        if (!packable) {
            Integer[] boxed = Arrays.stream(items).boxed().toArray(Integer[]::new);
            Arrays.sort(boxed, Comparator.<Integer>comparingLong(order::applyAsLong).thenComparing(ties));
            return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
        }
        long[] packed = new long[n];
        for (int k = 0; k < n; k++) {
            packed[k] = (key[k] << INDEX_BITS) | k;
        }
        Arrays.sort(packed);
        int[] result = new int[n];
        for (int k = 0; k < n; k++) {
            result[k] = items[(int) (packed[k] & ((1 << INDEX_BITS) - 1))];
        }
        for (int from = 0; from < n; ) {
            long o = packed[from] >>> INDEX_BITS;
            int to = from + 1;
            while (to < n && packed[to] >>> INDEX_BITS == o) {
                to++;
            }
            if (to - from > 1) {
                Integer[] run = new Integer[to - from];
                for (int k = from; k < to; k++) {
                    run[k - from] = result[k];
                }
                Arrays.sort(run, ties);
                for (int k = from; k < to; k++) {
                    result[k] = run[k - from];
                }
            }
            from = to;
        }
        return result;
    }
}
