package io.respool.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where the control-plane binaries are: the cache {@code scripts/control-plane.sh} fills (and builds
 * when something is missing), found the same way as the operator's integration tests find it.
 *
 * <ol>
 *   <li>{@code RESPOOL_BIN} from the environment (the project's test command sets it);</li>
 *   <li>else {@code scripts/control-plane.sh --print-env}, found above the working directory;</li>
 *   <li>else {@code ${RESPOOL_CACHE:-~/.cache/respool}/bin}.</li>
 * </ol>
 */
public record ControlPlaneBinaries(Path dir, Path etcd, Path kubeApiServer, Path kubeScheduler,
                                   Path kubeControllerManager, Path kwok, Path kubectl) {

    public static ControlPlaneBinaries locate() {
        String env = System.getenv("RESPOOL_BIN");
        Path dir;
        if (env != null && !env.isBlank()) {
            dir = Path.of(env);
        } else {
            dir = fromScript();
            if (dir == null) {
                String cache = System.getenv("RESPOOL_CACHE");
                dir = (cache != null && !cache.isBlank() ? Path.of(cache)
                        : Path.of(System.getProperty("user.home"), ".cache", "respool")).resolve("bin");
            }
        }
        ControlPlaneBinaries b = new ControlPlaneBinaries(dir, dir.resolve("etcd"), dir.resolve("kube-apiserver"),
                dir.resolve("kube-scheduler"), dir.resolve("kube-controller-manager"), dir.resolve("kwok"),
                dir.resolve("kubectl"));
        List<String> missing = new ArrayList<>();
        for (Path p : List.of(b.etcd, b.kubeApiServer, b.kubeScheduler, b.kubeControllerManager, b.kwok)) {
            if (!Files.isExecutable(p)) {
                missing.add(p.getFileName().toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("control-plane binaries missing in " + dir + ": " + String.join(", ", missing)
                    + ". Run scripts/control-plane.sh (it builds them with Go into its cache) and set RESPOOL_BIN,"
                    + " e.g. eval \"$(scripts/control-plane.sh --print-env)\"");
        }
        return b;
    }

    /** The repository root: the first directory above the working directory that holds crds/ and scripts/. */
    public static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isDirectory(p.resolve("crds")) && Files.isRegularFile(p.resolve("scripts/control-plane.sh"))) {
                return p;
            }
            p = p.getParent();
        }
        return null;
    }

    private static Path fromScript() {
        Path root = repositoryRoot();
        if (root == null) {
            return null;
        }
        Path script = root.resolve("scripts/control-plane.sh");
        Map<String, String> vars = new HashMap<>();
        try {
            Process p = new ProcessBuilder(script.toString(), "--print-env")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("export ")) {
                        String[] kv = line.substring("export ".length()).split("=", 2);
                        vars.put(kv[0], kv[1].replaceAll("^['\"]|['\"]$", ""));
                    }
                }
            }
            // A cold cache means a build of several minutes; that is the script's business.
            if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
                return null;
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        String bin = vars.get("RESPOOL_BIN");
        return bin == null ? null : Path.of(bin);
    }
}
