package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** What the operator observed and computed for a container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerStatus extends WorkloadStatusFields {
}
