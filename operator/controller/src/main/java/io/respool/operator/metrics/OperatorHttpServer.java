package io.respool.operator.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operator's HTTP endpoints: {@code /metrics} (Prometheus text format), {@code /startup} (200
 * once the operator started), {@code /healthz} (200 while every event source and the planner are
 * healthy; 503 with the reason otherwise).
 */
public final class OperatorHttpServer implements AutoCloseable {

    private final HttpServer server;

    /**
     * @param unhealthy null when healthy, else what is wrong
     */
    public OperatorHttpServer(int port, PrometheusMeterRegistry registry, BooleanSupplier started,
                              Supplier<String> unhealthy) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 0);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "respool-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/metrics", ex -> respond(ex, 200, "text/plain; version=0.0.4; charset=utf-8",
                registry.scrape()));
        server.createContext("/startup", ex -> {
            boolean ok = started.getAsBoolean();
            respond(ex, ok ? 200 : 503, "text/plain", ok ? "started\n" : "starting\n");
        });
        server.createContext("/healthz", ex -> {
            String problem = unhealthy.get();
            respond(ex, problem == null ? 200 : 503, "text/plain", problem == null ? "ok\n" : problem + "\n");
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
