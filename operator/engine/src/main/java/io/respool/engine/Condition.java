package io.respool.engine;

/** A Kubernetes-style condition, free of Kubernetes types. status is "True", "False" or "Unknown". */
public record Condition(String type, String status, String reason, String message) {

    public static Condition of(String type, boolean status, String reason, String message) {
        return new Condition(type, status ? "True" : "False", reason, message);
    }

    public boolean isTrue() {
        return "True".equals(status);
    }
}
