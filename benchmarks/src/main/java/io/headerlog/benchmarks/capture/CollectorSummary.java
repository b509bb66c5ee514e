package io.headerlog.benchmarks.capture;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The collector's final accounting, from the line it prints when it stops:
 * {@code headerlog: stopped; seen 5, submitted 5, ring full 0, read 5, decode errors 0, published 5,
 * publish errors 0}. Read as "name number" pairs, so counters added later (filtered, sampled out, …)
 * are picked up without a change here.
 */
record CollectorSummary(Map<String, Long> counters) {
    static final String PREFIX = "headerlog: stopped; ";
    private static final Pattern PAIR = Pattern.compile("([a-z][a-z -]*?)\\s+(\\d+)");

    CollectorSummary {
        counters = Map.copyOf(counters);
    }

    static boolean isSummary(String line) {
        return line.startsWith(PREFIX);
    }

    static CollectorSummary parse(String line) {
        if (!isSummary(line)) {
            throw new IllegalArgumentException("not a collector summary line: " + line);
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (String part : line.substring(PREFIX.length()).split(",")) {
            Matcher m = PAIR.matcher(part.strip());
            if (m.matches()) {
                out.put(m.group(1).strip(), Long.parseLong(m.group(2)));
            }
        }
        if (!out.containsKey("seen") || !out.containsKey("published")) {
            throw new IllegalArgumentException("the collector summary has no 'seen' or 'published' count: " + line);
        }
        return new CollectorSummary(out);
    }

    OptionalLong get(String name) {
        Long v = counters.get(name);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    long seen() {
        return counters.get("seen");
    }

    long published() {
        return counters.get("published");
    }

    long ringFull() {
        return get("ring full").orElse(0);
    }

    long publishErrors() {
        return get("publish errors").orElse(0);
    }

    long decodeErrors() {
        return get("decode errors").orElse(0);
    }

    /**
     * Packets the kernel kept for a record: everything seen less what the filters and the sampler
     * dropped on purpose (zero where this collector does not count them).
     */
    long kept() {
        return seen() - get("filtered").orElse(0) - get("sampled out").orElse(0);
    }

    /** Records lost on the way (ring full, decode and publish errors). */
    long lost() {
        return ringFull() + decodeErrors() + publishErrors();
    }
}
