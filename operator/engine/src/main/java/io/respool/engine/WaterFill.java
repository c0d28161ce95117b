package io.respool.engine;

import java.util.Arrays;

/**
 * Splits an amount over children by weight between per-child floors and ceilings
 * (semantics.md section 6, step 3): find λ ≥ 0 with Σ clamp(S_c·λ, lo_c, hi_c) = target and give
 * each child clamp(S_c·λ, lo_c, hi_c). Results are integers that add up exactly to the target
 * (largest remainder, ties to the lower index), so nothing is lost to rounding and the result is
 * deterministic. {@link Quantities#UNLIMITED} is allowed for ceilings and the target.
 */
final class WaterFill {

    /** Scratch space reused across calls: one instance per computation, not thread-safe. */
    private double[] point = new double[0];
    private int[] event = new int[0];
    private int[] order = new int[0];
    private double[] frac = new double[0];

    private void ensure(int n) {
        if (frac.length < n) {
            int size = Math.max(n, 2 * frac.length);
            point = new double[2 * size];
            event = new int[2 * size];
            order = new int[2 * size];
            frac = new double[size];
        }
    }

    /**
     * Fills {@code out[0..n)}.
     *
     * @param target amount to split; callers pass at most Σ hi (more is capped to Σ hi)
     * @return true when Σ lo exceeded the target and the floors were scaled down proportionally
     */
    boolean fill(long target, int n, long[] lo, long[] hi, long[] weight, long[] out) {
        long sumLo = 0;
        long sumHi = 0;
        for (int i = 0; i < n; i++) {
            sumLo = Quantities.add(sumLo, lo[i]);
            sumHi = Quantities.add(sumHi, hi[i]);
        }
        if (sumLo > target) {
            scale(target, n, lo, sumLo, out);
            return true;
        }
        if (target >= sumHi) {
            System.arraycopy(hi, 0, out, 0, n);
            return false;
        }
        if (target == sumLo) {
            System.arraycopy(lo, 0, out, 0, n);
            return false;
        }
        ensure(n);
        double lambda = solve(target, n, lo, hi, weight);
        double[] frac = this.frac;
        long given = 0;
        for (int i = 0; i < n; i++) {
            double x = weight[i] * lambda;
            long v;
            frac[i] = 0; // scratch space is shared between calls: clear what this call does not set
            if (x <= lo[i]) {
                v = lo[i];
            } else if (hi[i] != Quantities.UNLIMITED && x >= hi[i]) {
                v = hi[i];
            } else {
                v = Math.min(target, (long) Math.floor(x));
                if (v < lo[i]) {
                    v = lo[i];
                } else {
                    frac[i] = x - v;
                }
            }
            out[i] = v;
            given += v;
        }
        adjust(target - given, n, lo, hi, frac, out);
        return false;
    }

    /**
     * λ such that Σ clamp(S·λ, lo, hi) = target. Sweeps the breakpoints in order, keeping
     * f(λ) = constant + slope·λ between them: a child starts growing at lo/S (slope += S,
     * constant −= lo) and stops at hi/S (slope −= S, constant += hi). Tracking the two sums,
     * rather than evaluating f at each breakpoint, keeps rounding at a breakpoint from mattering.
     */
    private double solve(long target, int n, long[] lo, long[] hi, long[] weight) {
        double[] point = this.point;
        int[] event = this.event; // child * 2, +1 for the end of its growth
        int m = 0;
        double constant = 0;
        for (int i = 0; i < n; i++) {
            constant += lo[i];
            if (weight[i] > 0 && hi[i] > lo[i]) {
                point[m] = (double) lo[i] / weight[i];
                event[m++] = 2 * i;
                if (hi[i] != Quantities.UNLIMITED) {
                    point[m] = (double) hi[i] / weight[i];
                    event[m++] = 2 * i + 1;
                }
            }
        }
        int[] order = this.order;
        for (int k = 0; k < m; k++) {
            order[k] = k;
        }
        sortByKey(order, point, 0, m - 1);
        double slope = 0;
        double last = 0;
        for (int k = 0; k < m; k++) {
            int e = order[k];
            double p = point[e];
            if (slope > 0 && constant + slope * p >= target) {
                return (target - constant) / slope;
            }
            int child = event[e] >> 1;
            if ((event[e] & 1) == 0) {
                slope += weight[child];
                constant -= lo[child];
            } else {
                slope -= weight[child];
                constant += hi[child];
            }
            last = p;
        }
        return slope > 0 ? (target - constant) / slope : last;
    }

    /** Sorts idx[from..to] by key[idx], ascending (quicksort, insertion sort for short runs). */
    private static void sortByKey(int[] idx, double[] key, int from, int to) {
        while (to - from > 16) {
            double pivot = key[idx[(from + to) >>> 1]];
            int i = from;
            int j = to;
            while (i <= j) {
                while (key[idx[i]] < pivot) {
                    i++;
                }
                while (key[idx[j]] > pivot) {
                    j--;
                }
                if (i <= j) {
                    int t = idx[i];
                    idx[i++] = idx[j];
                    idx[j--] = t;
                }
            }
            if (j - from < to - i) {
                sortByKey(idx, key, from, j);
                from = i;
            } else {
                sortByKey(idx, key, i, to);
                to = j;
            }
        }
        for (int i = from + 1; i <= to; i++) {
            int v = idx[i];
            double k = key[v];
            int j = i - 1;
            while (j >= from && key[idx[j]] > k) {
                idx[j + 1] = idx[j];
                j--;
            }
            idx[j + 1] = v;
        }
    }

    /** Floors scaled by target / Σ lo, exactly summing to the target. */
    private void scale(long target, int n, long[] lo, long sumLo, long[] out) {
        ensure(n);
        double factor = (double) target / sumLo;
        double[] frac = this.frac;
        long given = 0;
        for (int i = 0; i < n; i++) {
            double x = lo[i] * factor;
            long v = Math.min(lo[i], (long) Math.floor(x));
            out[i] = v;
            frac[i] = x - v;
            given += v;
        }
        adjust(target - given, n, new long[n], lo, frac, out);
    }

    /**
     * Makes the results add up to the target: hands out the units lost to flooring one at a time,
     * to the children with the largest fractional parts that are below their ceiling (ties to the
     * lower index); if floating-point drift overshot, takes back from those with the smallest
     * fractional parts above their floor. Round robin, so it ends whatever the remainder.
     */
    private static void adjust(long remainder, int n, long[] floor, long[] ceiling, double[] frac, long[] out) {
        if (remainder == 0) {
            return;
        }
        int sign = remainder > 0 ? 1 : -1;
        int[] order = byFraction(n, frac, sign);
        // Each pass gives every child with room an equal step (one unit when the remainder is
        // smaller than the number of children), so it ends in a few passes whatever the remainder.
        while (remainder != 0) {
            int open = 0;
            for (int i = 0; i < n; i++) {
                if (hasRoom(i, sign, floor, ceiling, out)) {
                    open++;
                }
            }
            if (open == 0) {
                return;
            }
            long step = Math.max(1, Math.abs(remainder) / open);
            for (int k = 0; k < n && remainder != 0; k++) {
                int i = order[k];
                if (!hasRoom(i, sign, floor, ceiling, out)) {
                    continue;
                }
                long room = sign > 0
                        ? (ceiling[i] == Quantities.UNLIMITED ? Long.MAX_VALUE : ceiling[i] - out[i])
                        : out[i] - floor[i];
                long give = Math.min(Math.min(step, room), Math.abs(remainder));
                out[i] += sign * give;
                remainder -= sign * give;
            }
        }
    }

    /**
     * Indices by fractional part, largest first when giving (sign > 0), smallest first when taking
     * back, ties to the lower index: a primitive sort of (fraction quantised to 2^-40, index).
     */
    private static int[] byFraction(int n, double[] frac, int sign) {
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            double f = Math.min(Math.max(frac[i], 0), 1);
            long q = (long) ((sign > 0 ? 1 - f : f) * (1L << 40));
            packed[i] = (q << 22) | i;
        }
        Arrays.sort(packed);
        int[] order = new int[n];
        for (int k = 0; k < n; k++) {
            order[k] = (int) (packed[k] & ((1 << 22) - 1));
        }
        return order;
    }

    private static boolean hasRoom(int i, int sign, long[] floor, long[] ceiling, long[] out) {
        return sign > 0 ? ceiling[i] == Quantities.UNLIMITED || out[i] < ceiling[i] : out[i] > floor[i];
    }
}
