package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** A VM's virtual CPUs and its cpu reservation, limit and shares (in cores). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = CelRules.VM_CPU_RESERVATION_WITHIN_VCPUS,
        messageExpression = CelRules.VM_CPU_RESERVATION_WITHIN_VCPUS_MESSAGE, fieldPath = ".reservation")
public class VirtualMachineCpu extends WorkloadAllocation {

    @JsonPropertyDescription("Number of virtual CPUs the guest sees. It is also the default cpu limit"
            + " and scales preset shares (normal = 1000 per vCPU).")
    @Required
    @ValidationRule(value = CelRules.VCPUS, messageExpression = CelRules.VCPUS_MESSAGE)
    private Integer vcpus;

    public Integer getVcpus() {
        return vcpus;
    }

    public void setVcpus(Integer vcpus) {
        this.vcpus = vcpus;
    }
}
