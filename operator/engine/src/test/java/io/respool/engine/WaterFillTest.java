package io.respool.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WaterFillTest {

    private static long[] fill(long target, long[] lo, long[] hi, long[] w) {
        long[] out = new long[lo.length];
        new WaterFill().fill(target, lo.length, lo, hi, w, out);
        return out;
    }

    @Test
    void splitsByWeight() {
        assertThat(fill(1000, new long[3], new long[]{1000, 1000, 1000}, new long[]{1000, 1000, 2000}))
                .containsExactly(250, 250, 500);
    }

    @Test
    void floorsAndCeilingsHoldAndTheRestMovesOn() {
        // Child 0 capped at 100, child 1 guaranteed 600: child 2 takes what is left.
        assertThat(fill(1000, new long[]{0, 600, 0}, new long[]{100, 1000, 1000}, new long[]{1, 1, 1}))
                .containsExactly(100, 600, 300);
    }

    @Test
    void roundingLosesNothingAndIsDeterministic() {
        long[] out = fill(1000, new long[3], new long[]{1000, 1000, 1000}, new long[]{1, 1, 1});
        assertThat(out).containsExactly(334, 333, 333);
    }

    @Test
    void floorsAboveTheTargetAreScaled() {
        long[] out = new long[2];
        boolean scaled = new WaterFill().fill(300, 2, new long[]{200, 400}, new long[]{200, 400}, new long[]{1, 1}, out);
        assertThat(scaled).isTrue();
        assertThat(out).containsExactly(100, 200);
    }

    @Test
    void anUnlimitedWeightTakesAllAboveTheOthersFloors() {
        // A node's split weighs by entitlement, which may be unlimited: that child outweighs any
        // finite one, so the others keep their floors and it takes the rest.
        assertThat(fill(4000, new long[]{0, 1000}, new long[]{Quantities.UNLIMITED, 3000},
                new long[]{Quantities.UNLIMITED, 3000})).containsExactly(3000, 1000);
    }

    @Test
    void childrenFixedAtBothBoundsInTurns() {
        // λ first overshoots child 0's ceiling, then undershoots child 2's floor: 100 + 700 + 200.
        assertThat(fill(1000, new long[]{0, 0, 700}, new long[]{100, 1000, 1000}, new long[]{10, 1, 1}))
                .containsExactly(100, 200, 700);
    }

    @Test
    void unlimitedCeilingsTakeTheirShare() {
        assertThat(fill(900, new long[2], new long[]{Quantities.UNLIMITED, Quantities.UNLIMITED}, new long[]{1, 2}))
                .containsExactly(300, 600);
    }
}
