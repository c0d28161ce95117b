package io.respool.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operator in a JVM of its own ({@code respool operator}), so that it can really be killed:
 * from a respool.jar ({@code java -jar respool.jar operator ...}) or, without one, from this JVM's
 * class path ({@link OperatorMain}, the same command class). It reads its cluster from a kubeconfig
 * file; {@code POD_NAME} sets its leader-election identity.
 */
public final class OperatorProcess implements AutoCloseable {

    private final ChildProcess process;
    private final int httpPort;
    private final String identity;

    private OperatorProcess(ChildProcess process, int httpPort, String identity) {
        this.process = process;
        this.httpPort = httpPort;
        this.identity = identity;
    }

    /**
     * @param kubeconfig the operator's kubeconfig (YAML)
     * @param identity   its name (POD_NAME: the Lease holder identity), also its log file's name
     * @param jar        respool.jar, or null to run {@link OperatorMain} from this JVM's class path
     * @param jvmOptions e.g. -Xmx, -XX:+FlightRecorder ...
     * @param args       options of {@code respool operator} (--http-port is added)
     */
    public static OperatorProcess start(String kubeconfig, String identity, Path dir, Path jar, List<String> jvmOptions,
                                        List<String> args) {
        Path config = dir.resolve("kubeconfig-" + identity + ".yaml");
        try {
            Files.createDirectories(dir);
            Files.writeString(config, kubeconfig);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = LocalCluster.freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        if (jar != null) {
            command.addAll(List.of("-jar", jar.toString(), "operator"));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), OperatorMain.class.getName()));
        }
        command.addAll(args);
        command.addAll(List.of("--http-port", String.valueOf(port)));
        ChildProcess p = ChildProcess.start("operator-" + identity, command,
                Map.of("KUBECONFIG", config.toString(), "POD_NAME", identity), dir,
                dir.resolve("operator-" + identity + ".log"));
        return new OperatorProcess(p, port, identity);
    }

    /** Waits until /startup answers 200 (the operator's caches synced and it started). */
    public OperatorProcess awaitStarted(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.alive()) {
                throw new IllegalStateException("operator " + identity + " exited with " + process.exitValue() + ":\n"
                        + process.tail(40));
            }
            try {
                var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/startup"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("operator " + identity + " did not start within " + timeout.toSeconds()
                + " s:\n" + process.tail(40));
    }

    /** The Prometheus text of /metrics. */
    public String metrics() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort
                    + "/metrics")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String identity() {
        return identity;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.alive();
    }

    public ChildProcess process() {
        return process;
    }

    /** SIGKILL: no shutdown hook, no lease release, requests in flight cut off. */
    public void kill() {
        process.kill();
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(30));
    }
}
