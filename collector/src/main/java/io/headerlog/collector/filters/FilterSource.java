package io.headerlog.collector.filters;

import io.headerlog.collector.bpf.FilterRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Optional;

/**
 * The kernel filter rules a collector runs with: the command-line rules plus, optionally, a file that
 * may change while the collector runs. {@link #reloadIfChanged} notices an edited file (by its
 * modification time) so the rules can be swapped in the kernel maps without a reload.
 */
public final class FilterSource {
    private final FilterRules flags;
    private final Optional<Path> file;
    private FileTime loadedAt;
    private FilterRules current;

    /** @throws IllegalArgumentException when the file or the combination is invalid */
    public FilterSource(FilterRules flags, Optional<Path> file) {
        this.flags = flags;
        this.file = file;
        this.current = file.map(f -> {
            loadedAt = modified(f);
            return merge(flags, FilterFile.read(f));
        }).orElse(flags);
    }

    public FilterRules current() {
        return current;
    }

    public Optional<Path> file() {
        return file;
    }

    /**
     * Re-reads the file when it changed since the last read.
     *
     * @return the new rules, or empty when the file is unchanged (or there is none)
     * @throws IllegalArgumentException when the changed file is invalid (the old rules stay in force)
     */
    public Optional<FilterRules> reloadIfChanged() {
        if (file.isEmpty()) {
            return Optional.empty();
        }
        FileTime now = modified(file.get());
        if (now.equals(loadedAt)) {
            return Optional.empty();
        }
        loadedAt = now;
        FilterRules next = merge(flags, FilterFile.read(file.get()));
        if (next.equals(current)) {
            return Optional.empty();
        }
        current = next;
        return Optional.of(next);
    }

    /** Flags and file together: the union of each list. */
    static FilterRules merge(FilterRules flags, FilterRules file) {
        return flags.plus(file);
    }

    private static FileTime modified(Path f) {
        try {
            return Files.getLastModifiedTime(f);
        } catch (IOException e) {
            throw new IllegalArgumentException("filter file " + f + " cannot be read: " + e.getMessage(), e);
        }
    }
}
