package io.headerlog.collector.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headerlog.testing.Exec;
import io.headerlog.testing.ExecResult;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The system's BPF links as bpftool lists them. Debian's bpftool 7.1 predates TCX and shows such
 * links only as type 11 with a program id, so links are identified by their program's name.
 */
final class BpfLinks {
    static final int BPF_LINK_TYPE_TCX = 11;
    private static final ObjectMapper JSON = new ObjectMapper();

    private BpfLinks() {}

    /** Ids of TCX links whose program is one of headerlog's (hl_ingress / hl_egress). */
    static Set<Integer> headerlogTcxLinks() throws Exception {
        Map<Integer, String> progNames = new HashMap<>();
        for (JsonNode p : bpftool("prog", "show")) {
            progNames.put(p.path("id").asInt(), p.path("name").asText());
        }
        Set<Integer> ids = new HashSet<>();
        for (JsonNode l : bpftool("link", "show")) {
            String prog = progNames.getOrDefault(l.path("prog_id").asInt(), "");
            if (l.path("type").asInt() == BPF_LINK_TYPE_TCX && prog.startsWith("hl_")) {
                ids.add(l.path("id").asInt());
            }
        }
        return ids;
    }

    /** Ids of loaded programs named hl_ingress / hl_egress. */
    static Set<Integer> headerlogPrograms() throws Exception {
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : bpftool("prog", "show")) {
            if (p.path("name").asText().startsWith("hl_")) {
                ids.add(p.path("id").asInt());
            }
        }
        return ids;
    }

    private static JsonNode bpftool(String... args) throws Exception {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "bpftool";
        cmd[1] = "-j";
        System.arraycopy(args, 0, cmd, 2, args.length);
        ExecResult r = Exec.run(Duration.ofSeconds(20), cmd).orThrow();
        String out = r.stdout().isBlank() ? "[]" : r.stdout();
        return JSON.readTree(out);
    }
}
