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

    private WaterFill() {
    }

    /**
     * Fills {@code out[0..n)}.
     *
     * @param target amount to split; callers pass at most Σ hi (more is capped to Σ hi)
     * @return true when Σ lo exceeded the target and the floors were scaled down proportionally
     */
    static boolean fill(long target, int n, long[] lo, long[] hi, long[] weight, long[] out) {
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
        double lambda = solve(target, n, lo, hi, weight);
        double[] frac = new double[n];
        long given = 0;
        for (int i = 0; i < n; i++) {
            double x = weight[i] * lambda;
            long v;
            if (x <= lo[i]) {
                v = lo[i];
            } else if (hi[i] != Quantities.UNLIMITED && x >= hi[i]) {
                v = hi[i];
            } else {
                v = (long) Math.floor(x);
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

    /** λ such that Σ clamp(S·λ, lo, hi) = target, by sweeping the sorted breakpoints. */
    private static double solve(long target, int n, long[] lo, long[] hi, long[] weight) {
        // Each child with weight > 0 contributes lo below λ = lo/S, S·λ up to hi/S, then hi.
        double[] points = new double[2 * n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (weight[i] > 0 && hi[i] > lo[i]) {
                points[m++] = (double) lo[i] / weight[i];
                points[m++] = hi[i] == Quantities.UNLIMITED ? Double.POSITIVE_INFINITY
                        : (double) hi[i] / weight[i];
            }
        }
        Arrays.sort(points, 0, m);
        // f(λ) is piecewise linear; evaluate at breakpoints until it passes the target.
        double prev = 0;
        double fPrev = value(0, n, lo, hi, weight);
        for (int k = 0; k < m; k++) {
            double p = points[k];
            if (p == prev) {
                continue;
            }
            double f = p == Double.POSITIVE_INFINITY ? Double.POSITIVE_INFINITY : value(p, n, lo, hi, weight);
            if (f >= target) {
                if (p == Double.POSITIVE_INFINITY) {
                    double slope = slope(prev, n, lo, hi, weight);
                    return prev + (target - fPrev) / slope;
                }
                return prev + (p - prev) * (target - fPrev) / (f - fPrev);
            }
            prev = p;
            fPrev = f;
        }
        return prev;
    }

    private static double value(double lambda, int n, long[] lo, long[] hi, long[] weight) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double x = weight[i] * lambda;
            sum += x <= lo[i] ? lo[i] : (hi[i] != Quantities.UNLIMITED && x >= hi[i]) ? hi[i] : x;
        }
        return sum;
    }

    /** Σ S over children that are strictly between floor and ceiling just above λ. */
    private static double slope(double lambda, int n, long[] lo, long[] hi, long[] weight) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double x = weight[i] * lambda;
            if (weight[i] > 0 && x >= lo[i] && (hi[i] == Quantities.UNLIMITED || x < hi[i])) {
                s += weight[i];
            }
        }
        return s;
    }

    /** Floors scaled by target / Σ lo, exactly summing to the target. */
    private static void scale(long target, int n, long[] lo, long sumLo, long[] out) {
        double factor = (double) target / sumLo;
        double[] frac = new double[n];
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
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int sign = remainder > 0 ? 1 : -1;
        Arrays.sort(order, (a, b) -> {
            int c = sign * Double.compare(frac[b], frac[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        boolean progress = true;
        while (remainder != 0 && progress) {
            progress = false;
            for (int k = 0; k < n && remainder != 0; k++) {
                int i = order[k];
                boolean room = sign > 0
                        ? ceiling[i] == Quantities.UNLIMITED || out[i] < ceiling[i]
                        : out[i] > floor[i];
                if (room) {
                    out[i] += sign;
                    remainder -= sign;
                    progress = true;
                }
            }
        }
    }
}
