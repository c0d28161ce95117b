package io.respool.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The write requests kube-apiserver recorded (LocalCluster with an audit log). */
public final class AuditLog {

    /**
     * One request.
     *
     * @param resource    e.g. "pods", "containers"; {@code subresource} e.g. "status"
     * @param code        the response status code (201: created)
     * @param at          when the response was ready
     */
    public record Entry(String user, String verb, String apiGroup, String resource, String subresource,
                        String namespace, String name, int code, Instant at) {

        /** "group/resource/namespace/name", the object regardless of subresource. */
        public String object() {
            return (apiGroup == null ? "" : apiGroup) + "/" + resource + "/" + (namespace == null ? "" : namespace) + "/"
                    + name;
        }

        public boolean succeeded() {
            return code >= 200 && code < 300;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditLog() {
    }

    public static List<Entry> read(Path file) {
        List<Entry> entries = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode e = JSON.readTree(line);
                JsonNode ref = e.path("objectRef");
                entries.add(new Entry(e.path("user").path("username").asText(), e.path("verb").asText(),
                        text(ref, "apiGroup"), text(ref, "resource"), text(ref, "subresource"), text(ref, "namespace"),
                        text(ref, "name"), e.path("responseStatus").path("code").asInt(),
                        Instant.parse(e.path("stageTimestamp").asText())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit log " + file, e);
        }
        return entries;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
