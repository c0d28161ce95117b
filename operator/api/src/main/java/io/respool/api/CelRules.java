package io.respool.api;

/**
 * The CEL validation rules the API server enforces on respool objects (x-kubernetes-validations),
 * shared by the classes that carry them. Quantities and shares are int-or-string fields, so every
 * rule goes through {@code string(...)} before {@code quantity()} and tests the type before
 * comparing. Each message names the field, the value and what would be accepted; the API server
 * prefixes it with the field path.
 */
final class CelRules {

    /** A quantity field (reservation, limit, size) is a valid quantity of 0 or more. */
    static final String NON_NEGATIVE_QUANTITY =
            "isQuantity(string(self)) && quantity(string(self)).compareTo(quantity('0')) >= 0";

    static final String RESERVATION_MESSAGE = "'reservation \"' + string(self) + '\" is not valid: use a"
            + " quantity of 0 or more, e.g. \"500m\", \"2\" or \"4Gi\"'";

    static final String LIMIT_MESSAGE = "'limit \"' + string(self) + '\" is not valid: use a quantity of 0"
            + " or more, e.g. \"500m\", \"2\" or \"4Gi\", or omit it for unlimited'";

    /** A size (VM memory, container storage) is a quantity above 0. */
    static final String POSITIVE_QUANTITY = "isQuantity(string(self)) && quantity(string(self)).compareTo(quantity('0')) > 0";

    static final String SIZE_MESSAGE = "'size \"' + string(self) + '\" is not valid: use a quantity above 0,"
            + " e.g. \"8Gi\"'";

    /** Shares: low, normal, high, or an integer (or a string of digits) from 1 to 1000000. */
    static final String SHARES = "type(self) == int ? self >= 1 && self <= 1000000"
            + " : self in ['low', 'normal', 'high']"
            + " || (self.matches('^[0-9]{1,7}$') && int(self) >= 1 && int(self) <= 1000000)";

    static final String SHARES_MESSAGE = "'shares \"' + string(self) + '\" is not valid: use low, normal, high"
            + " or an integer from 1 to 1000000'";

    /** On an allocation object: limit is not below reservation (when both are valid quantities). */
    static final String LIMIT_NOT_BELOW_RESERVATION = "!has(self.limit) || !has(self.reservation)"
            + " || !isQuantity(string(self.limit)) || !isQuantity(string(self.reservation))"
            + " || quantity(string(self.limit)).compareTo(quantity(string(self.reservation))) >= 0";

    static final String LIMIT_NOT_BELOW_RESERVATION_MESSAGE = "'limit ' + string(self.limit) + ' is below"
            + " reservation ' + string(self.reservation) + ': use a limit of at least the reservation, or"
            + " omit limit for unlimited'";

    /** A VM has at least one vCPU. */
    static final String VCPUS = "self >= 1";

    /**
     * No string(self): CEL's cost estimate gives string() of an int no size bound, and the API server
     * then refuses the whole CRD. The API server shows the type, not the value, for integer fields.
     */
    static final String VCPUS_MESSAGE = "(self == 0 ? 'vcpus 0' : 'a negative vcpus') + ' is not valid: a VM"
            + " needs at least 1 vCPU'";

    /** Without a cpu limit a VM's limit is its vCPU count: the reservation must fit under it. */
    static final String VM_CPU_RESERVATION_WITHIN_VCPUS = "has(self.limit) || !has(self.reservation)"
            + " || !isQuantity(string(self.reservation))"
            + " || quantity(string(self.reservation)).asApproximateFloat() <= double(self.vcpus)";

    static final String VM_CPU_RESERVATION_WITHIN_VCPUS_MESSAGE = "'reservation ' + string(self.reservation)"
            + " + ' is above vcpus, the default cpu limit of a VM: reserve at most vcpus cores, or set a limit'";

    /** Without a memory limit a VM's limit is its memory size: the reservation must fit under it. */
    static final String VM_MEMORY_RESERVATION_WITHIN_SIZE = "has(self.limit) || !has(self.reservation)"
            + " || !isQuantity(string(self.reservation)) || !isQuantity(string(self.size))"
            + " || quantity(string(self.reservation)).compareTo(quantity(string(self.size))) <= 0";

    static final String VM_MEMORY_RESERVATION_WITHIN_SIZE_MESSAGE = "'reservation ' + string(self.reservation)"
            + " + ' is above the memory size ' + string(self.size) + ', which is the default limit: reserve at"
            + " most the size'";

    private CelRules() {
    }
}
