package io.respool.engine;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/**
 * Kubernetes quantity strings ("500m", "4Gi", "100M", "1e3") to and from the engine's integer base
 * units: millicores for cpu, bytes for memory and disk bandwidth, operations per second for IOPS,
 * bits per second for network. Fractions of a base unit round up, as Kubernetes does.
 */
public final class Quantities {

    /** Stands for "no limit" / "unbounded" in every dimension. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private static final String[] BINARY = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final String[] DECIMAL = {"k", "M", "G", "T", "P", "E"};

    private Quantities() {
    }

    /**
     * Parses a quantity into the base unit of {@code dimension}.
     *
     * @throws IllegalArgumentException naming the text and what a quantity looks like
     */
    public static long parse(Dimension dimension, String text) {
        BigDecimal value = parseDecimal(text);
        if (dimension == Dimension.CPU) {
            value = value.movePointRight(3);
        }
        BigDecimal rounded = value.setScale(0, RoundingMode.CEILING);
        if (rounded.compareTo(BigDecimal.valueOf(UNLIMITED - 1)) > 0) {
            throw new IllegalArgumentException("quantity \"" + text + "\" is too large");
        }
        return rounded.longValueExact();
    }

    /** A decimal number as quantities write it; compiled once (the translator parses every quantity on every run). */
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** The numeric value of a quantity string, in plain units (for cpu: cores). */
    static BigDecimal parseDecimal(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(text);
        }
        String t = text.trim();
        int end = t.length();
        BigDecimal multiplier = BigDecimal.ONE;
        for (int i = 0; i < BINARY.length; i++) {
            if (t.endsWith(BINARY[i])) {
                multiplier = BigDecimal.valueOf(2).pow(10 * (i + 1));
                end -= 2;
                break;
            }
        }
        if (end == t.length()) {
            char last = t.charAt(t.length() - 1);
            if (last == 'm') {
                multiplier = new BigDecimal("0.001");
                end--;
            } else {
                for (int i = 0; i < DECIMAL.length; i++) {
                    if (last == DECIMAL[i].charAt(0)) {
                        multiplier = BigDecimal.TEN.pow(3 * (i + 1));
                        end--;
                        break;
                    }
                }
            }
        }
        String number = t.substring(0, end);
        if (number.isEmpty() || !NUMBER.matcher(number).matches()) {
            throw invalid(text);
        }
        // "1e3" is a decimal exponent; "1E" alone would have been taken as exa above.
        try {
            return new BigDecimal(number).multiply(multiplier);
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("\"" + text + "\" is not a quantity: use a number with an"
                + " optional suffix (m, k, M, G, T, Ki, Mi, Gi, Ti), e.g. \"500m\", \"2\", \"4Gi\", \"100M\"");
    }

    /** Human form of a base-unit value: "250m", "2", "8Gi", "100M", "unlimited". */
    public static String format(Dimension dimension, long value) {
        if (value == UNLIMITED) {
            return "unlimited";
        }
        return switch (dimension) {
            case CPU -> value % 1000 == 0 ? Long.toString(value / 1000) : value + "m";
            case MEMORY, DISK_BANDWIDTH -> withSuffix(value, 1024, BINARY);
            case NETWORK_EGRESS, NETWORK_INGRESS -> withSuffix(value, 1000, DECIMAL);
            case DISK_IOPS -> Long.toString(value);
        };
    }

    private static String withSuffix(long value, long base, String[] suffixes) {
        if (value == 0) {
            return "0";
        }
        long v = value;
        int i = -1;
        while (i + 1 < suffixes.length && v % base == 0) {
            v /= base;
            i++;
        }
        return i < 0 ? Long.toString(value) : v + suffixes[i];
    }

    /** a + b, saturating at {@link #UNLIMITED}. */
    public static long add(long a, long b) {
        long r = a + b;
        return (a == UNLIMITED || b == UNLIMITED || ((a ^ r) & (b ^ r)) < 0) ? UNLIMITED : r;
    }

    /** a - b where a may be {@link #UNLIMITED} (stays unlimited). */
    public static long sub(long a, long b) {
        return a == UNLIMITED ? UNLIMITED : a - b;
    }
}
