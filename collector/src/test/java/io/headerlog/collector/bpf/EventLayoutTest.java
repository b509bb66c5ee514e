package io.headerlog.collector.bpf;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.testing.Exec;
import io.headerlog.testing.ExecResult;
import io.headerlog.testing.RepoRoot;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks every constant of {@link EventLayout} against bpf/capture.h: a C probe that includes the
 * header is compiled with gcc and prints offsetof/sizeof of each field and the value of each macro
 * and enumerator. Constants named after a member of {@code struct hl_event} are its offsets; the
 * prefixes {@code CFG_}, {@code CIDR_KEY_}, {@code FLOW_KEY_}, {@code FLOW_SLOT_} and {@code FLOW_} name
 * members of {@code hl_config}, {@code hl_cidr_key}, {@code hl_flow_key}, {@code hl_flow_slot} and
 * {@code hl_flow_stats} (and
 * {@code <PREFIX>SIZE} their sizes); every other name is the macro {@code HL_<NAME>}.
 */
class EventLayoutTest {

    private static final Pattern MEMBER = Pattern.compile("^\\s*(?:__u(?:8|16|32|64)|struct\\s+\\w+)\\s+(\\w+)(\\[\\d*])?;",
            Pattern.MULTILINE);

    @TempDir
    static Path work;

    private static Map<String, Long> probed;

    /** Java prefix → C struct, longest prefix first (FLOW_KEY_ before FLOW_). */
    private static final Map<String, String> STRUCTS = new java.util.LinkedHashMap<>();

    static {
        STRUCTS.put("CFG_", "hl_config");
        STRUCTS.put("CIDR_KEY_", "hl_cidr_key");
        STRUCTS.put("FLOW_KEY_", "hl_flow_key");
        STRUCTS.put("FLOW_SLOT_", "hl_flow_slot");
        STRUCTS.put("FLOW_", "hl_flow_stats");
    }

    /** A constant of EventLayout and the C expression that must have its value. */
    record Constant(String javaName, long javaValue, String cExpression) {
        @Override
        public String toString() {
            return javaName + " == " + cExpression;
        }
    }

    @BeforeAll
    static void compileAndRunProbe() throws IOException {
        Path header = RepoRoot.resolve("bpf/capture.h");
        StringBuilder c = new StringBuilder("#include <stddef.h>\n#include <stdio.h>\n#include \"capture.h\"\nint main(void) {\n");
        for (Constant k : constants()) {
            c.append("  printf(\"%s %lld\\n\", \"").append(k.javaName()).append("\", (long long)(")
                    .append(k.cExpression()).append("));\n");
        }
        c.append("  return 0;\n}\n");
        Path source = work.resolve("probe.c");
        Path binary = work.resolve("probe");
        Files.writeString(source, c);
        ExecResult cc = Exec.run(Duration.ofSeconds(60), "gcc", "-Wall", "-Werror", "-I", header.getParent().toString(),
                "-o", binary.toString(), source.toString());
        assertThat(cc.ok()).as("compiling the capture.h probe (needs gcc): %s", cc.describe()).isTrue();
        ExecResult run = Exec.run(Duration.ofSeconds(30), binary.toString()).orThrow();
        probed = new HashMap<>();
        for (String line : run.stdout().lines().toList()) {
            String[] kv = line.split(" ");
            probed.put(kv[0], Long.parseLong(kv[1]));
        }
    }

    static List<Constant> constants() {
        Set<String> eventMembers = members("hl_event");
        List<Constant> out = new ArrayList<>();
        for (Field f : EventLayout.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || (f.getType() != int.class && f.getType() != long.class)) {
                continue;
            }
            String name = f.getName();
            String lower = name.toLowerCase(Locale.ROOT);
            String expr = null;
            if (eventMembers.contains(lower)) {
                expr = "offsetof(struct hl_event, " + lower + ")";
            } else if (name.equals("SIZE")) {
                expr = "sizeof(struct hl_event)";
            } else if (name.equals("CNT_MAX")) {
                expr = "HL_CNT__MAX";
            }
            for (Map.Entry<String, String> s : STRUCTS.entrySet()) {
                if (expr != null || !name.startsWith(s.getKey())) {
                    continue;
                }
                String member = lower.substring(s.getKey().length());
                if (member.equals("size")) {
                    expr = "sizeof(struct " + s.getValue() + ")";
                } else if (members(s.getValue()).contains(member)) {
                    expr = "offsetof(struct " + s.getValue() + ", " + member + ")";
                }
            }
            if (expr == null) {
                expr = "HL_" + name;
            }
            try {
                out.add(new Constant(name, ((Number) f.get(null)).longValue(), expr));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** The member names of {@code struct NAME { ... };} in capture.h, in order. */
    static Set<String> members(String struct) {
        String text;
        try {
            text = Files.readString(RepoRoot.resolve("bpf/capture.h"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read bpf/capture.h", e);
        }
        int start = text.indexOf("struct " + struct + " {");
        assertThat(start).as("struct %s in capture.h", struct).isNotNegative();
        String body = text.substring(start, text.indexOf("};", start));
        Set<String> names = new LinkedHashSet<>();
        Matcher m = MEMBER.matcher(body);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    static Stream<Constant> layoutConstants() {
        return constants().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layoutConstants")
    void shouldMatchCaptureHeader(Constant constant) {
        assertThat(probed).as("probe output").containsKey(constant.javaName());
        assertThat(constant.javaValue()).as(constant.toString()).isEqualTo(probed.get(constant.javaName()));
    }

    @Test
    void shouldHaveAnOffsetForEveryMemberOfTheEventStruct() {
        Set<String> javaNames = new LinkedHashSet<>();
        constants().forEach(k -> javaNames.add(k.javaName()));
        for (String member : members("hl_event")) {
            if (member.startsWith("_pad")) {
                continue;
            }
            assertThat(javaNames).as("EventLayout constant for hl_event.%s", member).contains(member.toUpperCase(Locale.ROOT));
        }
        for (Map.Entry<String, String> s : STRUCTS.entrySet()) {
            for (String member : members(s.getValue())) {
                if (member.startsWith("_pad")) {
                    continue;
                }
                assertThat(javaNames).as("EventLayout constant for %s.%s", s.getValue(), member)
                        .contains(s.getKey() + member.toUpperCase(Locale.ROOT));
            }
            assertThat(javaNames).as("EventLayout constant for sizeof(struct %s)", s.getValue()).contains(s.getKey() + "SIZE");
        }
    }

    @Test
    void shouldFindTheStructMembersItChecks() {
        // Guards the header parsing above: if it found nothing, the completeness test would pass vacuously.
        assertThat(members("hl_event")).hasSizeGreaterThan(40).contains("mono_ns", "payload");
        assertThat(members("hl_config")).containsExactly("snap_len", "wakeup_bytes", "l7_snap_len", "l7_follow_bytes",
                "sample_rate", "keep_flags", "flow_entries", "flow_slots");
        assertThat(members("hl_flow_key")).contains("ifindex", "saddr", "dport");
        assertThat(members("hl_flow_stats")).contains("packets", "tcp_flags");
        assertThat(members("hl_flow_slot")).containsExactly("key", "_pad", "state", "stats", "_pad2");
        assertThat(members("hl_cidr_key")).containsExactly("prefixlen", "addr");
    }

    @Test
    void shouldGiveEveryCpuWholeCacheLinesOfCountersAndSlots() {
        // The maps start their elements on a page boundary (BPF_F_MMAPABLE); whole 64-byte lines per element
        // keep a packet to two lines of its slot and one of its counters, and CPUs off each other's lines.
        assertThat(EventLayout.FLOW_SLOT_SIZE % 64).isZero();
        assertThat(EventLayout.CNT_STRIDE * Long.BYTES % 64).isZero();
        assertThat(EventLayout.CNT_MAX).isLessThanOrEqualTo(EventLayout.CNT_STRIDE);
        assertThat(EventLayout.CNT_SAMPLED_OUT).as("the counters every packet touches share the first line").isLessThan(8);
    }
}
