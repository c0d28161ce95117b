package io.respool.engine;

/**
 * Reservation, limit and shares of one pool or workload in one dimension, in the dimension's base
 * unit. {@link Quantities#UNLIMITED} as limit means no limit. {@code expandable} matters only for
 * pools (vSphere's expandable reservation).
 */
public record Allocation(long reservation, long limit, Shares shares, boolean expandable) {

    public static final Allocation DEFAULT =
            new Allocation(0, Quantities.UNLIMITED, Shares.NORMAL, true);

    public Allocation {
        if (shares == null) {
            shares = Shares.NORMAL;
        }
    }

    public boolean limited() {
        return limit != Quantities.UNLIMITED;
    }

    public Allocation withReservation(long r) {
        return new Allocation(r, limit, shares, expandable);
    }

    public Allocation withLimit(long l) {
        return new Allocation(reservation, l, shares, expandable);
    }

    public Allocation withShares(Shares s) {
        return new Allocation(reservation, limit, s, expandable);
    }

    public Allocation withExpandable(boolean e) {
        return new Allocation(reservation, limit, shares, e);
    }
}
