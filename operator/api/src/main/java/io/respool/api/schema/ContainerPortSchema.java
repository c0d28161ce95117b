package io.respool.api.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Schema of a container port ({@code io.fabric8.kubernetes.api.model.ContainerPort}). */
public class ContainerPortSchema {

    @JsonPropertyDescription("Port number the container listens on (1-65535).")
    @Required
    public Integer containerPort;

    @JsonPropertyDescription("Optional IANA service name for the port, unique within the container.")
    public String name;

    @JsonPropertyDescription("TCP (default), UDP or SCTP.")
    public String protocol;

    @JsonPropertyDescription("Port to expose on the node as well; rarely needed.")
    public Integer hostPort;

    @JsonPropertyDescription("Node address to bind hostPort to.")
    public String hostIP;
}
