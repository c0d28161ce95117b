package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** A VM's guest memory and its memory reservation, limit and shares (in bytes). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = CelRules.VM_MEMORY_RESERVATION_WITHIN_SIZE,
        messageExpression = CelRules.VM_MEMORY_RESERVATION_WITHIN_SIZE_MESSAGE, fieldPath = ".reservation")
public class VirtualMachineMemory extends WorkloadAllocation {

    @JsonPropertyDescription("Guest memory size, e.g. \"8Gi\". It is also the default memory limit and"
            + " scales preset shares (normal = 10 per MiB).")
    @Required
    @ValidationRule(value = CelRules.POSITIVE_QUANTITY, messageExpression = CelRules.SIZE_MESSAGE)
    private Quantity size;

    public Quantity getSize() {
        return size;
    }

    public void setSize(Quantity size) {
        this.size = size;
    }
}
