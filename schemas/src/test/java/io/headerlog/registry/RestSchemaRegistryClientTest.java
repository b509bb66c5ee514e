package io.headerlog.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Request shapes and error handling against a scripted HTTP server; the real registry is covered
 * by RestSchemaRegistryClientIT in the tools module (it needs the local stack).
 */
class RestSchemaRegistryClientTest {

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private String serve(int status, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> respond(exchange, status, body));
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v7/";
    }

    private void respond(HttpExchange exchange, int status, String body) throws IOException {
        String requestBody = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " "
                + exchange.getRequestHeaders().getFirst("Content-Type") + " " + requestBody);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static Schema schema() {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");
    }

    @Test
    void shouldPostTheSchemaAsAJsonStringUnderTheBaseUrlAndCacheTheId() throws Exception {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(serve(200, "{\"id\":17}"));

        assertThat(client.register("my topic-value", schema())).isEqualTo(17);
        assertThat(client.register("my topic-value", schema())).isEqualTo(17);
        assertThat(client.getById(17)).isEqualTo(schema());

        assertThat(requests).hasSize(1);
        assertThat(requests.get(0)).startsWith("POST /apis/ccompat/v7/subjects/my%20topic-value/versions "
                + "application/vnd.schemaregistry.v1+json {\"schema\":\"{\\\"type\\\":\\\"record\\\"");
    }

    @Test
    void shouldIncludeTheRegistrysErrorCodeAndMessage() throws Exception {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(serve(409,
                "{\"error_code\":409,\"message\":\"Schema being registered is incompatible\"}"));

        assertThatThrownBy(() -> client.register("s", schema()))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 409, error_code 409: Schema being registered is incompatible")
                .hasMessageContaining("/subjects/s/versions")
                .satisfies(e -> {
                    assertThat(((SchemaRegistryException) e).httpStatus()).isEqualTo(409);
                    assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(409);
                });
    }

    @Test
    void shouldTreatAMissingSubjectAsCompatibleAndWithoutLatestVersion() throws Exception {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(serve(404,
                "{\"error_code\":40401,\"message\":\"Subject 'x' not found.\"}"));

        assertThat(client.isCompatible("x", schema())).isTrue();
        assertThat(client.latestVersion("x")).isEmpty();
        assertThat(client.lookup("x", schema())).isEmpty();
        assertThat(requests.get(0)).startsWith("POST /apis/ccompat/v7/compatibility/subjects/x/versions/latest");
    }

    @Test
    void shouldExplainANonJsonAnswer() throws Exception {
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(serve(200, "<html>welcome</html>"));

        assertThatThrownBy(client::subjects)
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("not JSON")
                .hasMessageContaining("Confluent-API base URL");
    }

    @Test
    void shouldTellHowToStartARegistryWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        RestSchemaRegistryClient client = new RestSchemaRegistryClient("http://127.0.0.1:" + port);

        assertThatThrownBy(client::subjects)
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("Cannot reach the schema registry at http://127.0.0.1:" + port)
                .hasMessageContaining("./headerlog stack start")
                .hasMessageContaining("--registry-url");
    }

    @Test
    void shouldRejectAUrlThatIsNotHttp() {
        assertThatThrownBy(() -> new RestSchemaRegistryClient("127.0.0.1:8081"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--registry-url http://127.0.0.1:8081");
        assertThat(new RestSchemaRegistryClient("http://h:8080/apis/ccompat/v7//").baseUrl())
                .isEqualTo("http://h:8080/apis/ccompat/v7");
    }
}
