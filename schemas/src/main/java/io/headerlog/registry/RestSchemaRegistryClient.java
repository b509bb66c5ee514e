package io.headerlog.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Client of the Confluent Schema Registry REST API over java.net.http. Works with any registry that
 * speaks that API: Confluent's, the local stack's proxy at http://127.0.0.1:8081, or Apicurio's
 * compatibility endpoint http://host:8080/apis/ccompat/v7 — the base URL is used as given.
 *
 * <p>Ids never change meaning in a registry, so id lookups and (subject, schema) registrations are
 * cached for the life of the client; serializers then reach the network once per schema.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final String baseUrl;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Integer>> idsBySubject = new ConcurrentHashMap<>();

    public RestSchemaRegistryClient(String baseUrl) {
        this(baseUrl, DEFAULT_TIMEOUT);
    }

    public RestSchemaRegistryClient(String baseUrl, Duration requestTimeout) {
        this.baseUrl = normalize(baseUrl);
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("registry request timeout must be positive, was " + requestTimeout);
        }
        this.requestTimeout = requestTimeout;
        // HTTP/1.1: the JDK's default h2c upgrade attempt confuses some registries' servers.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout)
                .build();
    }

    /** The base URL without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    @Override
    public int register(String subject, Schema schema) {
        String text = schema.toString();
        Map<String, Integer> known = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = known.get(text);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(text));
        int id = requiredInt(answer, "id", "POST /subjects/" + subject + "/versions");
        known.put(text, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = call("GET", "/schemas/ids/" + id, null);
        Schema schema = parseSchema(answer, "schema id " + id);
        Schema raced = schemasById.putIfAbsent(id, schema);
        return raced != null ? raced : schema;
    }

    @Override
    public OptionalInt lookup(String subject, Schema schema) {
        String text = schema.toString();
        Map<String, Integer> known = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = known.get(text);
        if (cached != null) {
            return OptionalInt.of(cached);
        }
        try {
            JsonNode answer = call("POST", "/subjects/" + encode(subject), schemaBody(text));
            int id = requiredInt(answer, "id", "POST /subjects/" + subject);
            known.put(text, id);
            schemasById.putIfAbsent(id, schema);
            return OptionalInt.of(id);
        } catch (SchemaRegistryException e) {
            // 40401 subject not found, 40403 schema not found under that subject
            if (e.httpStatus() == 404) {
                return OptionalInt.empty();
            }
            throw e;
        }
    }

    @Override
    public List<String> subjects() {
        JsonNode answer = call("GET", "/subjects", null);
        if (!answer.isArray()) {
            throw new SchemaRegistryException("Schema registry at " + baseUrl
                    + " answered GET /subjects with " + answer + " instead of a JSON array; is this a Confluent-API registry URL?");
        }
        List<String> subjects = new ArrayList<>();
        answer.forEach(node -> subjects.add(node.asText()));
        return subjects;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        try {
            JsonNode answer = call("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest",
                    schemaBody(schema.toString()));
            JsonNode flag = answer.get("is_compatible");
            if (flag == null || !flag.isBoolean()) {
                throw new SchemaRegistryException("Schema registry at " + baseUrl
                        + " answered the compatibility check of " + subject + " without is_compatible: " + answer);
            }
            return flag.asBoolean();
        } catch (SchemaRegistryException e) {
            if (isSubjectOrVersionMissing(e)) {
                return true;
            }
            throw e;
        }
    }

    @Override
    public Optional<SchemaVersion> latestVersion(String subject) {
        try {
            JsonNode answer = call("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
            String what = "latest version of " + subject;
            Schema schema = parseSchema(answer, what);
            int id = requiredInt(answer, "id", what);
            schemasById.putIfAbsent(id, schema);
            return Optional.of(new SchemaVersion(subject, requiredInt(answer, "version", what), id, schema));
        } catch (SchemaRegistryException e) {
            if (isSubjectOrVersionMissing(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        call("PUT", "/config/" + encode(subject), compatibilityBody(level));
    }

    @Override
    public void setDefaultCompatibility(CompatibilityLevel level) {
        call("PUT", "/config", compatibilityBody(level));
    }

    private static boolean isSubjectOrVersionMissing(SchemaRegistryException e) {
        // 40401 subject not found, 40402 version not found; some registries send only the status.
        return e.httpStatus() == 404 && (e.errorCode() == 40401 || e.errorCode() == 40402 || e.errorCode() == -1);
    }

    private String schemaBody(String schemaText) {
        ObjectNode body = json.createObjectNode();
        body.put("schema", schemaText);
        return body.toString();
    }

    private String compatibilityBody(CompatibilityLevel level) {
        ObjectNode body = json.createObjectNode();
        body.put("compatibility", level.name());
        return body.toString();
    }

    private Schema parseSchema(JsonNode answer, String what) {
        JsonNode type = answer.get("schemaType");
        if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
            throw new SchemaRegistryException("The " + what + " at " + baseUrl + " is a " + type.asText()
                    + " schema; headerlog reads Avro only");
        }
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw new SchemaRegistryException("Schema registry at " + baseUrl + " answered the " + what
                    + " without a schema: " + answer);
        }
        try {
            return new Schema.Parser().parse(text.asText());
        } catch (RuntimeException e) {
            throw new SchemaRegistryException("The " + what + " at " + baseUrl + " is not a valid Avro schema: "
                    + e.getMessage(), e);
        }
    }

    private int requiredInt(JsonNode answer, String field, String what) {
        JsonNode node = answer.get(field);
        if (node == null || !node.canConvertToInt()) {
            throw new SchemaRegistryException("Schema registry at " + baseUrl + " answered " + what
                    + " without an integer '" + field + "': " + answer);
        }
        return node.asInt();
    }

    private JsonNode call(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(requestTimeout)
                .header("Accept", CONTENT_TYPE + ", application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new SchemaRegistryException("Cannot reach the schema registry at " + baseUrl + " (" + describe(e)
                    + "). Start the local stack with `./headerlog stack start`, or pass --registry-url with the URL"
                    + " of a running Confluent-API schema registry.", e);
        } catch (HttpTimeoutException e) {
            throw new SchemaRegistryException("Schema registry at " + baseUrl + " did not answer " + method + " "
                    + path + " within " + requestTimeout.toMillis() + " ms; is it overloaded or still starting?", e);
        } catch (IOException e) {
            throw new SchemaRegistryException("Call " + method + " " + baseUrl + path + " to the schema registry failed: "
                    + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while calling the schema registry at " + baseUrl, e);
        }
        return parseAnswer(method, path, response);
    }

    private JsonNode parseAnswer(String method, String path, HttpResponse<String> response) {
        int status = response.statusCode();
        String text = response.body() == null ? "" : response.body();
        JsonNode answer = null;
        if (!text.isBlank()) {
            try {
                answer = json.readTree(text);
            } catch (JsonProcessingException e) {
                answer = null;
            }
        }
        if (status >= 200 && status < 300) {
            if (answer == null) {
                if (text.isBlank()) {
                    return json.createObjectNode();
                }
                throw new SchemaRegistryException("Schema registry at " + baseUrl + " answered " + method + " " + path
                        + " with something that is not JSON: " + abbreviate(text)
                        + " — is " + baseUrl + " the registry's Confluent-API base URL?");
            }
            return answer;
        }
        int errorCode = -1;
        String message = abbreviate(text);
        if (answer != null && answer.isObject()) {
            JsonNode code = answer.get("error_code");
            if (code != null && code.canConvertToInt()) {
                errorCode = code.asInt();
            }
            JsonNode msg = answer.get("message");
            if (msg != null && !msg.isNull()) {
                message = msg.asText();
            }
        }
        throw new SchemaRegistryException("Schema registry at " + baseUrl + " rejected " + method + " " + path
                + ": HTTP " + status + (errorCode >= 0 ? ", error_code " + errorCode : "")
                + (message.isEmpty() ? "" : ": " + message), status, errorCode);
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "…";
    }

    static String encode(String pathSegment) {
        // URLEncoder does form encoding; a path segment needs %20, not '+'.
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String normalize(String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("schema registry URL is empty; pass e.g. --registry-url http://127.0.0.1:8081");
        }
        String trimmed = baseUrl.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = new URI(trimmed);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                    || uri.getHost() == null) {
                throw new IllegalArgumentException("schema registry URL '" + baseUrl
                        + "' is not an http(s) URL with a host; pass e.g. --registry-url http://127.0.0.1:8081");
            }
            if (uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException("schema registry URL '" + baseUrl
                        + "' must not have a query or fragment; give the API's base URL");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("schema registry URL '" + baseUrl + "' is not a valid URL ("
                    + e.getMessage() + "); pass e.g. --registry-url http://127.0.0.1:8081", e);
        }
        return trimmed;
    }
}
