package io.headerlog.tools.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegistryProxyTest {

    private final URI apicurio = URI.create("http://127.0.0.1:18081");
    private HttpServer backend;
    private RegistryProxy proxy;
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (backend != null) {
            backend.stop(0);
        }
    }

    @Test
    void shouldMapRootPathsUnderTheConfluentCompatibilityPrefix() {
        assertThat(RegistryProxy.targetUri(apicurio, "/subjects", null))
                .isEqualTo(URI.create("http://127.0.0.1:18081/apis/ccompat/v7/subjects"));
        assertThat(RegistryProxy.targetUri(apicurio, "/subjects/headers.raw-value/versions/latest", null))
                .isEqualTo(URI.create("http://127.0.0.1:18081/apis/ccompat/v7/subjects/headers.raw-value/versions/latest"));
        assertThat(RegistryProxy.targetUri(apicurio, "/", null))
                .isEqualTo(URI.create("http://127.0.0.1:18081/apis/ccompat/v7/"));
        assertThat(RegistryProxy.targetUri(apicurio, "", null))
                .isEqualTo(URI.create("http://127.0.0.1:18081/apis/ccompat/v7/"));
    }

    @Test
    void shouldKeepEncodedCharactersAndTheQuery() {
        assertThat(RegistryProxy.targetUri(URI.create("http://127.0.0.1:18081/"), "/subjects/a%20b%2Fc/versions",
                "normalize=true&deleted=false"))
                .hasToString("http://127.0.0.1:18081/apis/ccompat/v7/subjects/a%20b%2Fc/versions?normalize=true&deleted=false");
    }

    @Test
    void shouldPassApicurioPathsThroughUnchanged() {
        assertThat(RegistryProxy.targetUri(apicurio, "/apis/registry/v3/system/info", null))
                .isEqualTo(URI.create("http://127.0.0.1:18081/apis/registry/v3/system/info"));
    }

    @Test
    void shouldForwardMethodBodyHeadersStatusAndContentType() throws Exception {
        backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        backend.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " " + body);
            byte[] answer = "{\"error_code\":409,\"message\":\"incompatible\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.getResponseHeaders().add("X-Registry-Test", "kept");
            exchange.sendResponseHeaders(409, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        backend.start();
        int port = FreePorts.pick(1)[0];
        proxy = RegistryProxy.start("127.0.0.1", port,
                URI.create("http://127.0.0.1:" + backend.getAddress().getPort()));

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/subjects/s-value/versions?verbose=true"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"schema\":\"\\\"string\\\"\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).isEqualTo("{\"error_code\":409,\"message\":\"incompatible\"}");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/vnd.schemaregistry.v1+json");
        assertThat(response.headers().firstValue("X-Registry-Test")).hasValue("kept");
        assertThat(seen).containsExactly("PUT /apis/ccompat/v7/subjects/s-value/versions?verbose=true "
                + "application/vnd.schemaregistry.v1+json {\"schema\":\"\\\"string\\\"\"}");
    }

    @Test
    void shouldAnswerBadGatewayInTheConfluentErrorShapeWhenApicurioIsDown() throws Exception {
        int[] ports = FreePorts.pick(2);
        proxy = RegistryProxy.start("127.0.0.1", ports[0], URI.create("http://127.0.0.1:" + ports[1]));

        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + ports[0] + "/subjects")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(502);
        assertThat(response.body()).contains("\"error_code\":502").contains("registry.log");
    }
}
