package io.respool.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QuantitiesTest {

    @Test
    void parsesKubernetesQuantitiesIntoBaseUnits() {
        assertThat(Quantities.parse(Dimension.CPU, "500m")).isEqualTo(500);
        assertThat(Quantities.parse(Dimension.CPU, "2")).isEqualTo(2000);
        assertThat(Quantities.parse(Dimension.CPU, "0.25")).isEqualTo(250);
        assertThat(Quantities.parse(Dimension.CPU, "1e3")).isEqualTo(1_000_000);
        assertThat(Quantities.parse(Dimension.MEMORY, "512Mi")).isEqualTo(512L << 20);
        assertThat(Quantities.parse(Dimension.MEMORY, "4Gi")).isEqualTo(4L << 30);
        assertThat(Quantities.parse(Dimension.MEMORY, "1G")).isEqualTo(1_000_000_000L);
        assertThat(Quantities.parse(Dimension.DISK_BANDWIDTH, "200Mi")).isEqualTo(200L << 20);
        assertThat(Quantities.parse(Dimension.NETWORK_EGRESS, "100M")).isEqualTo(100_000_000L);
        assertThat(Quantities.parse(Dimension.DISK_IOPS, "2000")).isEqualTo(2000);
        assertThat(Quantities.parse(Dimension.MEMORY, "1500m")).isEqualTo(2); // fractions round up
    }

    @Test
    void rejectsWhatIsNotAQuantityWithAnExample() {
        assertThatThrownBy(() -> Quantities.parse(Dimension.CPU, "two"))
                .hasMessage("\"two\" is not a quantity: use a number with an optional suffix (m, k, M, G, T, Ki, Mi, Gi, Ti),"
                        + " e.g. \"500m\", \"2\", \"4Gi\", \"100M\"");
        assertThatThrownBy(() -> Quantities.parse(Dimension.MEMORY, "4GB")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Quantities.parse(Dimension.MEMORY, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsForHumans() {
        assertThat(Quantities.format(Dimension.CPU, 250)).isEqualTo("250m");
        assertThat(Quantities.format(Dimension.CPU, 4000)).isEqualTo("4");
        assertThat(Quantities.format(Dimension.MEMORY, 8L << 30)).isEqualTo("8Gi");
        assertThat(Quantities.format(Dimension.MEMORY, 1000)).isEqualTo("1000");
        assertThat(Quantities.format(Dimension.NETWORK_EGRESS, 100_000_000)).isEqualTo("100M");
        assertThat(Quantities.format(Dimension.CPU, Quantities.UNLIMITED)).isEqualTo("unlimited");
    }

    @Test
    void sharesAcceptLevelsAndIntegersInRange() {
        assertThat(Shares.parse("high")).isEqualTo(Shares.HIGH);
        assertThat(Shares.parse("2500")).isEqualTo(Shares.custom(2500));
        assertThatThrownBy(() -> Shares.parse("0")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Shares.parse("urgent"))
                .hasMessage("shares \"urgent\" is not valid: use low, normal, high or an integer from 1 to 1000000");
    }
}
