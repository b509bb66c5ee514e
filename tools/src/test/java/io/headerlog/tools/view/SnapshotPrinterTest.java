package io.headerlog.tools.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class SnapshotPrinterTest {
    @Test
    void shouldRedrawInPlaceOnATerminal() {
        StringWriter buffer = new StringWriter();
        SnapshotPrinter printer = new SnapshotPrinter(new PrintWriter(buffer), SnapshotPrinter.Mode.ANSI);

        printer.print("one\n");
        printer.print("two\n");

        assertThat(buffer.toString()).isEqualTo("\033[H\033[2Jone\n\033[H\033[2Jtwo\n");
    }

    @Test
    void shouldAppendSeparatedSnapshotsWithoutEscapesWhenPlain() {
        StringWriter buffer = new StringWriter();
        SnapshotPrinter printer = new SnapshotPrinter(new PrintWriter(buffer), SnapshotPrinter.Mode.PLAIN);

        printer.print("one\n");
        printer.print("two\n");

        assertThat(buffer.toString()).isEqualTo("one\n--" + System.lineSeparator() + "two\n--" + System.lineSeparator());
        assertThat(buffer.toString()).doesNotContain("\033");
    }

    @Test
    void shouldBePlainWhenForcedOrWithoutConsole() {
        assertThat(SnapshotPrinter.detect(true)).isEqualTo(SnapshotPrinter.Mode.PLAIN);
        // Surefire runs tests without a terminal.
        assertThat(SnapshotPrinter.detect(false)).isEqualTo(SnapshotPrinter.Mode.PLAIN);
    }
}
