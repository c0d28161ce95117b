package io.respool.api.translate;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.respool.api.PoolAllocation;
import io.respool.api.WorkloadAllocation;
import io.respool.engine.Allocation;
import io.respool.engine.Dimension;
import io.respool.engine.Quantities;
import io.respool.engine.Shares;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the fields of one object into engine values, collecting every problem with the object,
 * the field path and the value, instead of stopping at the first.
 */
final class FieldReader {

    /** A map key that a field path can show after a dot. */
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    private final ObjectRef object;
    private final List<FieldError> errors = new ArrayList<>();

    FieldReader(ObjectRef object) {
        this.object = object;
    }

    ObjectRef object() {
        return object;
    }

    boolean ok() {
        return errors.isEmpty();
    }

    List<FieldError> errors() {
        return errors;
    }

    void error(String field, String value, String detail) {
        errors.add(new FieldError(object, field, value, detail));
    }

    /** The quantity in the dimension's base unit, {@code absent} if not given (or invalid: reported). */
    long quantity(Dimension dimension, Quantity quantity, String field, long absent) {
        if (quantity == null) {
            return absent;
        }
        return quantity(dimension, text(quantity), field, absent);
    }

    long quantity(Dimension dimension, String text, String field, long absent) {
        long value;
        try {
            value = Quantities.parse(dimension, text);
        } catch (IllegalArgumentException | ArithmeticException e) {
            error(field, text, e.getMessage() == null ? "\"" + text + "\" is not a valid quantity" : e.getMessage());
            return absent;
        }
        if (value < 0) {
            error(field, text, "\"" + text + "\" is negative: use a quantity of 0 or more");
            return absent;
        }
        return value;
    }

    Shares shares(IntOrString shares, String field) {
        if (shares == null) {
            return Shares.NORMAL;
        }
        String text = shares.getIntVal() != null ? shares.getIntVal().toString() : shares.getStrVal();
        try {
            return Shares.parse(text == null ? "" : text);
        } catch (IllegalArgumentException e) {
            error(field, text, e.getMessage());
            return Shares.NORMAL;
        }
    }

    /** A pool's allocation in one dimension; null when the user did not set that dimension. */
    Allocation allocation(Dimension dimension, PoolAllocation a, String path) {
        if (a == null) {
            return null;
        }
        return new Allocation(
                quantity(dimension, a.getReservation(), path + ".reservation", 0),
                quantity(dimension, a.getLimit(), path + ".limit", Quantities.UNLIMITED),
                shares(a.getShares(), path + ".shares"),
                a.getExpandableReservation() == null || a.getExpandableReservation());
    }

    /** A workload's allocation in one dimension; null when the user did not set that dimension. */
    Allocation allocation(Dimension dimension, WorkloadAllocation a, String path) {
        if (a == null) {
            return null;
        }
        return new Allocation(
                quantity(dimension, a.getReservation(), path + ".reservation", 0),
                quantity(dimension, a.getLimit(), path + ".limit", Quantities.UNLIMITED),
                shares(a.getShares(), path + ".shares"),
                true);
    }

    static String text(Quantity q) {
        return (q.getAmount() == null ? "" : q.getAmount()) + (q.getFormat() == null ? "" : q.getFormat());
    }

    /** {@code base.key} for plain keys, {@code base["respool.io/x"]} for keys with dots or slashes. */
    static String key(String base, String key) {
        return PLAIN_KEY.matcher(key).matches() ? base + "." + key : base + "[\"" + key + "\"]";
    }
}
