package io.respool.api.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;
import java.util.Map;

/** Schema of a Kubernetes label selector ({@code io.fabric8.kubernetes.api.model.LabelSelector}). */
public class LabelSelectorSchema {

    @JsonPropertyDescription("Labels that must all be present with exactly these values.")
    public Map<String, String> matchLabels;

    @JsonPropertyDescription("Set-based requirements that must all hold (ANDed with matchLabels).")
    public List<Requirement> matchExpressions;

    /** One set-based requirement. */
    public static class Requirement {

        @JsonPropertyDescription("Label key the requirement applies to.")
        @Required
        public String key;

        @JsonPropertyDescription("In, NotIn, Exists or DoesNotExist.")
        @Required
        public String operator;

        @JsonPropertyDescription("Values for In and NotIn; must be empty for Exists and DoesNotExist.")
        public List<String> values;
    }
}
