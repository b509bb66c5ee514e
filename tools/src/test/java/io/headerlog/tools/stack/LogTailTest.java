package io.headerlog.tools.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

    @TempDir
    Path dir;

    @Test
    void shouldReturnTheLastNonBlankLines() throws Exception {
        Path log = Files.writeString(dir.resolve("a.log"),
                IntStream.range(0, 10_000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n")) + "\n\n");

        assertThat(LogTail.lastLines(log, 3)).containsExactly("line 9997", "line 9998", "line 9999");
        assertThat(LogTail.describe(log, 1)).isEqualTo("\n  last lines of " + log + ":\n    line 9999");
    }

    @Test
    void shouldSayWhenTheLogIsMissing() {
        assertThat(LogTail.lastLines(dir.resolve("none.log"), 3)).isEmpty();
        assertThat(LogTail.describe(dir.resolve("none.log"), 3)).contains("is empty or missing");
    }
}
