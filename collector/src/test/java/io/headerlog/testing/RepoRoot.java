package io.headerlog.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the headerlog checkout a test runs in, for files outside the module (e.g. bpf/capture.h). */
public final class RepoRoot {
    private RepoRoot() {}

    /**
     * The system property {@code headerlog.repo.root} (failsafe sets it) or the nearest directory at or
     * above the working directory that holds {@code bpf/capture.h}.
     */
    public static Path get() {
        String configured = System.getProperty("headerlog.repo.root", "");
        if (!configured.isBlank() && Files.exists(Path.of(configured, "bpf", "capture.h"))) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("bpf").resolve("capture.h"))) {
                return p.normalize();
            }
        }
        throw new IllegalStateException("cannot find the headerlog checkout (no bpf/capture.h at or above "
                + Path.of("").toAbsolutePath() + "); set -Dheaderlog.repo.root");
    }

    public static Path resolve(String relative) {
        return get().resolve(relative);
    }
}
