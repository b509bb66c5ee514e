package io.headerlog.it.l7;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Copies everything this JVM writes to System.out and System.err (the in-process streams app, the
 * Kafka clients, their slf4j-simple logging, which looks System.err up on every line) into memory
 * while still printing it, so a test can search the log lines. {@link #close} puts the streams back.
 */
final class LogCapture implements AutoCloseable {
    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    private LogCapture() {
        System.setOut(new PrintStream(new Tee(originalOut, copy), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(originalErr, copy), true, StandardCharsets.UTF_8));
    }

    static LogCapture start() {
        return new LogCapture();
    }

    /** What was written so far, decoded as UTF-8. */
    String text() {
        synchronized (copy) {
            return copy.toString(StandardCharsets.UTF_8);
        }
    }

    byte[] bytes() {
        synchronized (copy) {
            return copy.toByteArray();
        }
    }

    @Override
    public void close() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final ByteArrayOutputStream second;

        Tee(OutputStream first, ByteArrayOutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) {
            synchronized (second) {
                second.write(b);
            }
            try {
                first.write(b);
            } catch (IOException e) {
                // the console went away; the copy is what the test needs
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            synchronized (second) {
                second.write(b, off, len);
            }
            try {
                first.write(b, off, len);
            } catch (IOException e) {
                // as above
            }
        }

        @Override
        public void flush() throws IOException {
            first.flush();
        }
    }
}
