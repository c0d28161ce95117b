package io.respool.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Objects;

/** Compares statuses as the API server stores them (their JSON), since status classes have no equals. */
public final class Statuses {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private Statuses() {
    }

    public static boolean same(Object a, Object b) {
        return Objects.equals(tree(a), tree(b));
    }

    public static JsonNode tree(Object o) {
        return o == null ? null : JSON.convertValue(o, JsonNode.class);
    }
}
