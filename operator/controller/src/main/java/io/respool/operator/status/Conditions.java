package io.respool.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Builds standard Kubernetes conditions, keeping lastTransitionTime while a condition keeps its status. */
public final class Conditions {

    private final List<Condition> previous;
    private final long generation;
    private final List<Condition> result = new ArrayList<>();

    /**
     * @param previous   the conditions the object has now (null: none)
     * @param generation the metadata.generation these conditions describe
     */
    public Conditions(List<Condition> previous, long generation) {
        this.previous = previous == null ? List.of() : previous;
        this.generation = generation;
    }

    public Conditions add(String type, boolean status, String reason, String message) {
        return add(type, status ? "True" : "False", reason, message);
    }

    public Conditions add(String type, String status, String reason, String message) {
        String since = previous.stream()
                .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
                .map(Condition::getLastTransitionTime)
                .findFirst()
                .orElseGet(() -> Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        result.add(new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message == null ? "" : message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(since)
                .build());
        return this;
    }

    public List<Condition> list() {
        return List.copyOf(result);
    }

    /** The condition of this type in a list, or null. */
    public static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        Condition c = find(conditions, type);
        return c != null && "True".equals(c.getStatus());
    }
}
