package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What the operator observed and computed for a VM. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VirtualMachineStatus extends WorkloadStatusFields {
}
