package io.respool.api.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Quantity;

/** Schema of an environment variable ({@code io.fabric8.kubernetes.api.model.EnvVar}). */
public class EnvVarSchema {

    @JsonPropertyDescription("Variable name.")
    @Required
    public String name;

    @JsonPropertyDescription("Literal value; $(OTHER) references to earlier variables are expanded.")
    public String value;

    @JsonPropertyDescription("Take the value from a ConfigMap, Secret, file, pod field or resource"
            + " instead of a literal.")
    public Source valueFrom;

    /** Where a variable's value comes from: exactly one of the fields. */
    public static class Source {

        @JsonPropertyDescription("A key of a ConfigMap in the workload's namespace.")
        public KeyRef configMapKeyRef;

        @JsonPropertyDescription("A key of a Secret in the workload's namespace.")
        public KeyRef secretKeyRef;

        @JsonPropertyDescription("A field of the pod, e.g. metadata.name or status.podIP.")
        public FieldRef fieldRef;

        @JsonPropertyDescription("A resource request or limit of the container, e.g. limits.memory.")
        public ResourceFieldRef resourceFieldRef;

        @JsonPropertyDescription("A variable from an env file in one of the pod's volumes.")
        public FileKeyRef fileKeyRef;
    }

    /** A key of a ConfigMap or Secret. */
    public static class KeyRef {

        @JsonPropertyDescription("Name of the ConfigMap or Secret.")
        public String name;

        @JsonPropertyDescription("Key whose value to use.")
        @Required
        public String key;

        @JsonPropertyDescription("true: a missing object or key leaves the variable unset instead of"
                + " failing.")
        public Boolean optional;
    }

    /** A pod field. */
    public static class FieldRef {

        @JsonPropertyDescription("API version the field path is written in; default v1.")
        public String apiVersion;

        @JsonPropertyDescription("Path of the field, e.g. metadata.name.")
        @Required
        public String fieldPath;
    }

    /** A container resource. */
    public static class ResourceFieldRef {

        @JsonPropertyDescription("Container to read from; default: this one.")
        public String containerName;

        @JsonPropertyDescription("Resource, e.g. limits.cpu or requests.memory.")
        @Required
        public String resource;

        @JsonPropertyDescription("Unit to express the value in, e.g. \"1m\" or \"1Mi\"; default 1.")
        public Quantity divisor;
    }

    /** A key of an env file. */
    public static class FileKeyRef {

        @JsonPropertyDescription("Name of the pod volume holding the file.")
        @Required
        public String volumeName;

        @JsonPropertyDescription("Path of the file inside the volume.")
        @Required
        public String path;

        @JsonPropertyDescription("Variable name in the file.")
        @Required
        public String key;

        @JsonPropertyDescription("true: a missing file or key leaves the variable unset instead of"
                + " failing.")
        public Boolean optional;
    }
}
