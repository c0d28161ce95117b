package io.respool.api.translate;

/**
 * A problem with one field of one object, as a user would need it to fix the manifest.
 *
 * @param object the object, e.g. {@code VirtualMachine "payments/db"}
 * @param field  the field path, e.g. {@code spec.cpu.reservation}
 * @param value  the offending value as written, or null when the field is missing
 * @param detail what is wrong and what is accepted
 */
public record FieldError(ObjectRef object, String field, String value, String detail) {

    /** {@code VirtualMachine "payments/db": spec.cpu.reservation: "abc" is not a quantity: use ...}. */
    @Override
    public String toString() {
        return object + ": " + field + ": " + detail;
    }
}
