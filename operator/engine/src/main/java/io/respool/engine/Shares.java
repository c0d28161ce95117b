package io.respool.engine;

/**
 * Relative priority under contention: a preset level that scales with the owner's size, or a
 * custom integer (1..1,000,000). See semantics.md section 3.
 */
public record Shares(Level level, long custom) {

    public enum Level { LOW, NORMAL, HIGH, CUSTOM }

    public static final long MIN_CUSTOM = 1;
    public static final long MAX_CUSTOM = 1_000_000;
    public static final Shares LOW = new Shares(Level.LOW, 0);
    public static final Shares NORMAL = new Shares(Level.NORMAL, 0);
    public static final Shares HIGH = new Shares(Level.HIGH, 0);

    public Shares {
        if (level == Level.CUSTOM && (custom < MIN_CUSTOM || custom > MAX_CUSTOM)) {
            throw new IllegalArgumentException(
                    "shares " + custom + " out of range: use low, normal, high or an integer from "
                            + MIN_CUSTOM + " to " + MAX_CUSTOM);
        }
    }

    public static Shares custom(long value) {
        return new Shares(Level.CUSTOM, value);
    }

    /**
     * Parses "low", "normal", "high" or an integer 1..1,000,000.
     *
     * @throws IllegalArgumentException with a message saying what is accepted
     */
    public static Shares parse(String text) {
        String t = text.trim();
        switch (t) {
            case "low": return LOW;
            case "normal": return NORMAL;
            case "high": return HIGH;
            default:
        }
        long value;
        try {
            value = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shares \"" + text
                    + "\" is not valid: use low, normal, high or an integer from 1 to 1000000");
        }
        return custom(value);
    }

    /** Multiplier of the level: 0.5 / 1 / 2 for low / normal / high (scalable shares, presets). */
    double levelFactor() {
        return switch (level) {
            case LOW -> 0.5;
            case NORMAL -> 1;
            case HIGH -> 2;
            case CUSTOM -> throw new IllegalStateException("custom shares have no level factor");
        };
    }

    @Override
    public String toString() {
        return level == Level.CUSTOM ? Long.toString(custom) : level.name().toLowerCase();
    }
}
