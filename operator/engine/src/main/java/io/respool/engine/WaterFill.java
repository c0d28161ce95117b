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

    /**
     * Scratch space reused across calls: one instance per computation, not thread-safe.
     * {@code order} holds the unfixed children while solving, then the children in remainder order.
     */
    private int[] order = new int[0];
    private double[] frac = new double[0];
    private long[] packed = new long[0];

    private void ensure(int n) {
        if (frac.length < n) {
            int size = Math.max(n, 2 * frac.length);
            order = new int[size];
            frac = new double[size];
            packed = new long[size];
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
     * λ such that Σ clamp(S·λ, lo, hi) = target, by fixing children at their bounds (Bitran and
     * Hax's method for this separable problem): spread what the unfixed children must give by
     * weight; if the clamps that spread needs take more from the target than they give back, the
     * children below their floor stay there at the answer, otherwise those above their ceiling do;
     * fix them and repeat. A few passes over the children instead of sorting 2n breakpoints.
     * Weights may be {@link Quantities#UNLIMITED} (a node's split weighs by entitlement): the sum
     * of weights is a double, rebuilt from the unfixed children on every pass rather than
     * decremented, so a huge weight leaving it cannot cancel out the small ones.
     */
    private double solve(long target, int n, long[] lo, long[] hi, long[] weight) {
        int[] free = this.order;
        int m = 0;
        long fixed = 0;
        double slope = 0;
        for (int i = 0; i < n; i++) {
            if (weight[i] > 0 && hi[i] > lo[i]) {
                free[m++] = i;
                slope += weight[i];
            } else {
                fixed += lo[i];
            }
        }
        double highest = 0; // the largest hi/S among children fixed at their ceiling
        while (m > 0) {
            double lambda = (target - fixed) / slope;
            double below = 0;
            double above = 0;
            for (int k = 0; k < m; k++) {
                int i = free[k];
                double x = weight[i] * lambda;
                if (x < lo[i]) {
                    below += lo[i] - x;
                } else if (hi[i] != Quantities.UNLIMITED && x > hi[i]) {
                    above += x - hi[i];
                }
            }
            if (below == above) {
                return lambda; // no clamp, or the clamps cancel out: this λ meets the target
            }
            boolean atFloor = below > above;
            int kept = 0;
            slope = 0;
            for (int k = 0; k < m; k++) {
                int i = free[k];
                double x = weight[i] * lambda;
                if (atFloor ? x < lo[i] : hi[i] != Quantities.UNLIMITED && x > hi[i]) {
                    fixed += atFloor ? lo[i] : hi[i];
                    if (!atFloor) {
                        highest = Math.max(highest, (double) hi[i] / weight[i]);
                    }
                } else {
                    free[kept++] = i;
                    slope += weight[i];
                }
            }
            m = kept;
        }
        // Every child sits at a bound and the target lies on a flat stretch: any λ between the
        // ceilings reached and the floors not reached gives the same split.
        return highest;
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
    private void adjust(long remainder, int n, long[] floor, long[] ceiling, double[] frac, long[] out) {
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
    private int[] byFraction(int n, double[] frac, int sign) {
        long[] packed = this.packed;
        for (int i = 0; i < n; i++) {
            double f = Math.min(Math.max(frac[i], 0), 1);
            long q = (long) ((sign > 0 ? 1 - f : f) * (1L << 40));
            packed[i] = (q << 22) | i;
        }
        Arrays.sort(packed, 0, n);
        int[] order = this.order;
        for (int k = 0; k < n; k++) {
            order[k] = (int) (packed[k] & ((1 << 22) - 1));
        }
        return order;
    }

    private static boolean hasRoom(int i, int sign, long[] floor, long[] ceiling, long[] out) {
        return sign > 0 ? ceiling[i] == Quantities.UNLIMITED || out[i] < ceiling[i] : out[i] > floor[i];
    }
}
