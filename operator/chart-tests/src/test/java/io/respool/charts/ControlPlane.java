package io.respool.charts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the real binaries are: the environment {@code scripts/test.sh} sets (it evals
 * {@code scripts/control-plane.sh --print-env}), else that script's answer.
 */
final class ControlPlane {

    private static final List<String> KEYS = List.of("KUBE_API_TEST_DIR", "KUBE_API_TEST_API_SERVER_VERSION",
            "RESPOOL_BIN", "KUBERNETES_VERSION");
    private static Map<String, String> env;

    private ControlPlane() {
    }

    static synchronized Map<String, String> env() {
        if (env != null) {
            return env;
        }
        Map<String, String> found = new HashMap<>();
        for (String key : KEYS) {
            String value = System.getenv(key);
            if (value != null && !value.isBlank()) {
                found.put(key, value);
            }
        }
        if (!found.keySet().containsAll(KEYS)) {
            Path script = Repository.ROOT.resolve("scripts/control-plane.sh");
            Cmd.Result r = Cmd.run(List.of(script.toString(), "--print-env"), Map.of(), 1800);
            if (r.exit() != 0) {
                throw new IllegalStateException(script + " --print-env failed (exit " + r.exit() + "):\n" + r.err());
            }
            for (String line : r.out().lines().toList()) {
                if (line.startsWith("export ")) {
                    String[] kv = line.substring("export ".length()).split("=", 2);
                    found.putIfAbsent(kv[0], kv[1].replaceAll("^['\"]|['\"]$", ""));
                }
            }
        }
        for (String key : KEYS) {
            if (!found.containsKey(key)) {
                throw new IllegalStateException(key + " is not set and scripts/control-plane.sh did not print it");
            }
        }
        env = Map.copyOf(found);
        return env;
    }

    static String kubernetesVersion() {
        return env().get("KUBERNETES_VERSION");
    }

    static Path helm() {
        return binary("helm");
    }

    static Path kubectl() {
        return binary("kubectl");
    }

    private static Path binary(String name) {
        Path p = Path.of(env().get("RESPOOL_BIN"), name);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("no executable " + p + ": run scripts/control-plane.sh");
        }
        return p;
    }

    /** A scratch HOME-like directory for helm's caches and config, so tests never touch the user's. */
    static Map<String, String> helmEnv(Path scratch) {
        try {
            Files.createDirectories(scratch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> e = new HashMap<>();
        e.put("HELM_CACHE_HOME", scratch.resolve("cache").toString());
        e.put("HELM_CONFIG_HOME", scratch.resolve("config").toString());
        e.put("HELM_DATA_HOME", scratch.resolve("data").toString());
        e.put("HELM_NO_PLUGINS", "1");
        e.put("LANG", "C.UTF-8");
        return e;
    }
}
