package io.headerlog.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Prometheus endpoint ({@code /metrics}, and {@code /-/healthy}) on one daemon thread: scrapes
 * are rare and small, and a thread pool would only add idle threads to a process that should stay
 * quiet beside the host's work.
 */
public final class MetricsServer implements AutoCloseable {

    /** The endpoint could not be started; the message says which address and what to do. */
    public static final class UnavailableException extends RuntimeException {
        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final HTTPServer server;

    private MetricsServer(HTTPServer server) {
        this.server = server;
    }

    /** Starts listening; fails with what to do when the address is taken or cannot be bound. */
    public static MetricsServer start(ListenAddress listen, PrometheusRegistry registry, String option) {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "headerlog-metrics");
            t.setDaemon(true);
            return t;
        });
        try {
            HTTPServer.Builder b = HTTPServer.builder().port(listen.port()).registry(registry).executorService(executor);
            if (!listen.host().isEmpty()) {
                b.hostname(listen.host());
            }
            return new MetricsServer(b.buildAndStart());
        } catch (IOException | RuntimeException e) {
            executor.shutdownNow();
            throw new UnavailableException("cannot serve metrics on " + listen + " (" + e.getMessage()
                    + "); pick a free address with " + option, e);
        }
    }

    /** The bound port (useful when 0 asked for any free port in tests). */
    public int port() {
        return server.getPort();
    }

    /** Stops the server, which also shuts its executor down. */
    @Override
    public void close() {
        server.close();
    }
}
