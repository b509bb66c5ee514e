package io.headerlog.tools.stack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The last lines of a (possibly large) log file, for error messages. */
final class LogTail {

    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {
    }

    static List<String> lastLines(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            int size = (int) Math.min(length, MAX_BYTES);
            byte[] bytes = new byte[size];
            in.seek(length - size);
            in.readFully(bytes);
            List<String> all = new ArrayList<>(Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\r?\n")));
            all.removeIf(String::isBlank);
            return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return List.of("(cannot read " + file + ": " + e.getMessage() + ")");
        }
    }

    /** "Last lines of X:" and the lines, indented, or a note that the file is empty. */
    static String describe(Path file, int lines) {
        List<String> tail = lastLines(file, lines);
        if (tail.isEmpty()) {
            return "\n  (" + file + " is empty or missing)";
        }
        StringBuilder text = new StringBuilder("\n  last lines of ").append(file).append(':');
        tail.forEach(line -> text.append("\n    ").append(line));
        return text.toString();
    }
}
