package io.respool.engine;

/** Health of a pool in one dimension (semantics.md section 4). Ordered from best to worst. */
public enum Health {
    /** Reservations are backed by capacity. */
    VALID("Valid"),
    /** Capacity fell below what is reserved: floors are scaled down, new admissions refused. */
    OVERCOMMITTED("Overcommitted"),
    /** An invariant is broken, e.g. a fixed pool's children reserve more than it has. */
    INVALID("Invalid");

    private final String display;

    Health(String display) {
        this.display = display;
    }

    public String display() {
        return display;
    }

    public Health worst(Health other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    @Override
    public String toString() {
        return display;
    }
}
