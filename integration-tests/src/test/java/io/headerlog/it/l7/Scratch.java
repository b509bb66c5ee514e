package io.headerlog.it.l7;

import io.headerlog.tools.stack.SharedStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A temporary directory for one test's configs, certificates, keys and captures; {@link #close}
 * deletes it with everything in it (captures can hold header values, so they must not outlive the
 * test).
 */
final class Scratch implements AutoCloseable {
    private final Path dir;

    private Scratch(Path dir) {
        this.dir = dir;
    }

    static Scratch create(String purpose) {
        try {
            return new Scratch(Files.createTempDirectory("headerlog-l7-" + purpose + "-"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory under "
                    + System.getProperty("java.io.tmpdir") + "; is it writable?", e);
        }
    }

    /** A subdirectory, created if missing. */
    Path subdir(String name) {
        Path sub = dir.resolve(name);
        try {
            return Files.createDirectories(sub);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + sub, e);
        }
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    @Override
    public void close() {
        SharedStack.deleteRecursively(dir);
    }
}
