package io.headerlog.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's files, as the tests of this module read them (the module sits in deploy/). */
public final class RepoFiles {
    private RepoFiles() {}

    /** The repository root: set by the module's surefire configuration, else the parent of the working dir. */
    public static Path root() {
        return Path.of(System.getProperty("headerlog.repo.root", "..")).toAbsolutePath().normalize();
    }

    public static Path path(String relative) {
        return root().resolve(relative);
    }

    public static String read(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + relative + " in " + root(), e);
        }
    }
}
