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
    void helpAndUsageErrors() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--bootstrap-servers", "--registry-url", "--wait-seconds");
        assertThat(run("--bootstrap-server", "x:9092")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --bootstrap-server");
        assertThat(run("--bootstrap-servers", "x:9092")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--registry-url are required");
        assertThat(run("--bootstrap-servers", "x:9092", "--registry-url", "http://r", "--wait-seconds", "soon")).isEqualTo(2);
        assertThat(run("--registry-url")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--registry-url needs a value");
    }
}
