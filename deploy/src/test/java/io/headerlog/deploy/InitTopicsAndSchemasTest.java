package io.headerlog.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InitTopicsAndSchemasTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return InitTopicsAndSchemas.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void shouldDocumentItsOptions() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--bootstrap-servers", "--registry-url", "--wait-seconds");
    }

    @Test
    void shouldRejectUsageErrorsWithStatus2BeforeConnecting() {
        // a misspelt required option: the message names the right spelling
        assertThat(run("--bootstrap-server", "x:9092", "--registry-url", "http://r")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required option: '--bootstrap-servers=HOST:PORT'");
        assertThat(run("--bootstrap-servers", "x:9092", "--registry-url", "http://r", "--wait", "5")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Unknown options: '--wait', '5'").contains("Possible solutions: --wait-seconds");
        assertThat(run("--bootstrap-servers", "x:9092")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required option: '--registry-url=URL'");
        assertThat(run("--bootstrap-servers", "x:9092", "--registry-url", "http://r", "--wait-seconds", "soon")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--wait-seconds").contains("soon");
        assertThat(run("--registry-url")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required parameter for option '--registry-url'");
    }
}
