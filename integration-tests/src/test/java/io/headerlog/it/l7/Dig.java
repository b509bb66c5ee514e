package io.headerlog.it.l7;

import io.headerlog.testing.ExecResult;
import io.headerlog.testing.Host;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** dig in a test host: one query, over UDP or TCP, and what dig made of the answer. */
final class Dig {
    private static final Pattern HEADER = Pattern.compile(";; ->>HEADER<<- opcode: (\\S+), status: (\\S+), id: (\\d+)");

    private Dig() {
    }

    /** One answer line of dig: name (with the trailing dot), TTL, type and data. */
    record AnswerLine(String name, long ttl, String type, String data) {
    }

    record Lookup(String name, String type, String transport, InetAddress server, int id, String status,
                  List<AnswerLine> answers) {
    }

    static Lookup query(Host client, InetAddress server, String name, String type, boolean tcp) {
        List<String> cmd = new ArrayList<>(List.of("dig", "@" + server.getHostAddress(), "-p",
                String.valueOf(DnsServer.PORT), name, type, "+tries=1", "+time=5", "+nostats"));
        if (tcp) {
            cmd.add("+tcp");
        }
        ExecResult r = client.exec(Duration.ofSeconds(30), cmd.toArray(String[]::new)).orThrow();
        Matcher m = HEADER.matcher(r.stdout());
        if (!m.find()) {
            throw new AssertionError("dig printed no header line: " + r.stdout());
        }
        List<AnswerLine> answers = new ArrayList<>();
        boolean inAnswer = false;
        for (String line : r.stdout().split("\n")) {
            if (line.startsWith(";; ANSWER SECTION")) {
                inAnswer = true;
            } else if (line.isBlank() || line.startsWith(";")) {
                inAnswer = false;
            } else if (inAnswer) {
                String[] f = line.trim().split("\\s+");
                answers.add(new AnswerLine(f[0], Long.parseLong(f[1]), f[3], f[4]));
            }
        }
        return new Lookup(name, type, tcp ? "tcp" : "udp", server, Integer.parseInt(m.group(3)), m.group(2),
                List.copyOf(answers));
    }
}
