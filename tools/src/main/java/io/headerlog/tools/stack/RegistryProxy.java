package io.headerlog.tools.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves the Confluent Schema Registry API at the root of 127.0.0.1:registryPort by forwarding
 * {@code /X} to Apicurio's {@code /apis/ccompat/v7/X}: Confluent clients and tools expect the API at
 * the root, Apicurio serves it only under that prefix. Method, body, query, status, content type
 * and other end-to-end headers pass through. Paths under {@code /apis/} pass through unchanged, so
 * Apicurio's own API is reachable on the same port.
 */
final class RegistryProxy implements AutoCloseable {

    /** Hop-by-hop headers and those the JDK client or server set themselves. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect",
            "date");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final URI target;

    private RegistryProxy(HttpServer server, ExecutorService executor, URI target) {
        this.server = server;
        this.executor = executor;
        this.target = target;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Listens on {@code host:port} and forwards to the Apicurio at {@code apicurioBase} (scheme://host:port). */
    static RegistryProxy start(String host, int port, URI apicurioBase) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 64);
        } catch (IOException e) {
            throw new StackException("Cannot listen on " + host + ":" + port + " for the schema registry (" + e.getMessage()
                    + "); is another registry or stack running there? Stop it or pass --registry-port", e);
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "headerlog-registry-proxy-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        RegistryProxy proxy = new RegistryProxy(server, executor, apicurioBase);
        server.createContext("/", proxy::handle);
        server.setExecutor(executor);
        server.start();
        return proxy;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The Apicurio URI a request for {@code rawPath?rawQuery} on the proxy goes to. */
    static URI targetUri(URI apicurioBase, String rawPath, String rawQuery) {
        String base = apicurioBase.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        if (!path.startsWith("/")) {
            path = "/" + path;
        }
        String mapped = path.startsWith("/apis/") ? path : ApicurioRegistry.CCOMPAT_PATH + path;
        return URI.create(base + mapped + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            HttpRequest.Builder request = HttpRequest.newBuilder(targetUri(target, uri.getRawPath(), uri.getRawQuery()))
                    .timeout(Duration.ofSeconds(30));
            byte[] body = exchange.getRequestBody().readAllBytes();
            request.method(exchange.getRequestMethod(), body.length == 0
                    ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
                if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                    header.getValue().forEach(value -> request.header(header.getKey(), value));
                }
            }
            HttpResponse<byte[]> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                sendError(exchange, 502, "The local stack's Apicurio registry at " + target + " is not reachable ("
                        + e.getMessage() + "); see the stack's logs/registry.log or run `./headerlog stack status`");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sendError(exchange, 503, "The registry proxy is shutting down");
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] answer = response.body();
            boolean noBody = answer.length == 0 || "HEAD".equalsIgnoreCase(exchange.getRequestMethod())
                    || response.statusCode() == 204 || response.statusCode() == 304;
            exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : answer.length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }

    private static void sendError(HttpExchange exchange, int status, String message) throws IOException {
        // Confluent's error shape, so RestSchemaRegistryClient shows the message.
        ObjectNode error = JSON.createObjectNode().put("error_code", status).put("message", message);
        byte[] bytes = error.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
