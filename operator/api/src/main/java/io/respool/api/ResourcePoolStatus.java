package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import io.respool.api.schema.ConditionSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the operator observed and computed for a pool. Written by the operator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResourcePoolStatus {

    @JsonPropertyDescription("The metadata.generation this status was computed from.")
    private Long observedGeneration;

    @JsonPropertyDescription("Standard conditions: Ready (spec valid and every dimension Valid) and"
            + " ReservationGranted (its own reservation fits in its parent).")
    @SchemaFrom(type = ConditionSchema[].class)
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Worst health over all dimensions: Valid, Overcommitted or Invalid.")
    private String health;

    @JsonPropertyDescription("Figures per dimension (cpu, memory, diskIOPS, diskBandwidth,"
            + " networkEgress, networkIngress).")
    private Map<String, PoolResourceStatus> resources = new LinkedHashMap<>();

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public String getHealth() {
        return health;
    }

    public void setHealth(String health) {
        this.health = health;
    }

    public Map<String, PoolResourceStatus> getResources() {
        return resources;
    }

    public void setResources(Map<String, PoolResourceStatus> resources) {
        this.resources = resources;
    }
}
