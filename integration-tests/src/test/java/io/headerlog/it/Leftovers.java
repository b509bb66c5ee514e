package io.headerlog.it;

import io.headerlog.testing.Exec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** What a script run could leave behind, listed before and after it: temp entries and TCX links. */
final class Leftovers {
    private Leftovers() {}

    /** What is in /tmp, apart from what the test JVMs make for themselves. */
    static Set<String> tempEntries() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/tmp"))) {
            // hsperfdata_*: JVM counters; liblz4-java-*: the native library the test JVM's own consumer
            // unpacks on its first lz4 batch (whichever test reads first); neither is a leftover of what is tested
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("hsperfdata_") && !n.startsWith("liblz4-java-"))
                    .collect(Collectors.toSet());
        }
    }

    /** TCX link ids (bpftool shows them as type 11) of programs named hl_*. */
    static Set<String> tcxLinks() {
        String progs = Exec.run(Duration.ofSeconds(10), "bpftool", "prog", "show").stdout();
        Set<String> ours = progs.lines().filter(l -> l.contains(" name hl_"))
                .map(l -> l.substring(0, l.indexOf(':'))).collect(Collectors.toSet());
        return Exec.run(Duration.ofSeconds(10), "bpftool", "link", "show").stdout().lines()
                .filter(l -> l.matches("\\d+: .*") && ours.stream().anyMatch(id -> l.contains("prog " + id)))
                .map(l -> l.substring(0, l.indexOf(':'))).collect(Collectors.toSet());
    }
}
