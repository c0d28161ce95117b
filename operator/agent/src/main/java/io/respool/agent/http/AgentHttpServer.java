package io.respool.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The agent's HTTP endpoints, on the JDK's built-in server: {@code /metrics} (Prometheus text
 * format), {@code /healthz} (liveness: the apply loop is making progress) and {@code /readyz}
 * (readiness: cgroups found and the first pass done).
 */
public final class AgentHttpServer implements AutoCloseable {

    private final HttpServer server;

    public AgentHttpServer(int port, AgentMetrics metrics, Supplier<Health> live, Supplier<Health> ready)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 16);
        server.createContext("/metrics", ex -> {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                send(ex, 405, "text/plain; charset=utf-8", "GET only\n");
                return;
            }
            send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render());
        });
        server.createContext("/healthz", ex -> probe(ex, live.get()));
        server.createContext("/readyz", ex -> probe(ex, ready.get()));
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "respool-agent-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** The port actually bound (useful when 0 was asked for). */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void probe(HttpExchange ex, Health h) throws IOException {
        send(ex, h.ok() ? 200 : 503, "text/plain; charset=utf-8", (h.ok() ? "ok: " : "not ok: ") + h.message() + "\n");
    }

    private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(code, head ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            if (!head) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
