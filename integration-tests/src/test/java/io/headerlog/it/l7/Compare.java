package io.headerlog.it.l7;

import io.headerlog.it.l7.HttpFrame.Header;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The comparisons of headerlog's records with tshark's dissection, message by message and field by
 * field. HTTP messages are matched by TCP direction (ports) and order, DNS messages by transport,
 * ports, id and QR, TLS hellos by ports and handshake type.
 */
final class Compare {
    private static final Set<String> NOT_COMPARED = Set.of("origin");

    private Compare() {
    }

    /**
     * {@code captureLimit}: payload bytes the kernel copies from one packet (--l7-snaplen). Only a
     * header block carried by a packet longer than that (a GSO/GRO packet) may be logged truncated,
     * since the kernel never copied the rest: then the headers logged must be the first ones
     * tshark saw. Headers named in {@code secretHeaders} (lower case) must carry tokens.
     */
    static Mismatches http(List<HttpFrame> tshark, List<HttpFrame> headerlog, int captureLimit, Set<String> secretHeaders) {
        Mismatches m = new Mismatches("HTTP messages");
        Map<String, List<HttpFrame>> expected = group(tshark, HttpFrame::stream);
        Map<String, List<HttpFrame>> actual = group(headerlog, HttpFrame::stream);
        Set<String> streams = new LinkedHashSet<>(expected.keySet());
        streams.addAll(actual.keySet());
        for (String stream : streams) {
            List<HttpFrame> e = expected.getOrDefault(stream, List.of());
            List<HttpFrame> a = actual.getOrDefault(stream, List.of());
            if (e.size() != a.size()) {
                m.problem("TCP " + stream, "tshark saw " + e.size() + " packets starting HTTP messages " + starts(e)
                        + ", headerlog " + a.size() + " " + starts(a));
            }
            for (int i = 0; i < Math.min(e.size(), a.size()); i++) {
                httpFrame("TCP " + stream + " #" + (i + 1) + " (" + e.get(i).origin() + ")", e.get(i), a.get(i),
                        captureLimit, secretHeaders, m);
            }
        }
        return m;
    }

    private static void httpFrame(String where, HttpFrame e, HttpFrame a, int captureLimit, Set<String> secretHeaders,
                                  Mismatches m) {
        m.check(where, "messages in the packet", e.startLines().size(), a.startLines().size());
        for (int i = 0; i < Math.min(e.startLines().size(), a.startLines().size()); i++) {
            m.compareRecords(where + " message " + (i + 1), e.startLines().get(i), a.startLines().get(i), NOT_COMPARED);
        }
        if (a.truncated()) {
            m.require(where, "truncated, but no packet of the block (" + e.headerBytes() + " bytes in " + e.segments()
                    + " packets, the largest " + e.largestPacketBytes() + " bytes) exceeds the capture limit of "
                    + captureLimit + " bytes", e.largestPacketBytes() > captureLimit);
            m.require(where, "truncated, but holds " + a.headers().size() + " of tshark's " + e.headers().size()
                    + " headers", a.headers().size() < e.headers().size());
            headers(where, e, a, secretHeaders, m);
            return;
        }
        m.check(where, "header count", e.headers().size(), a.headers().size());
        headers(where, e, a, secretHeaders, m);
        m.check(where, "Host", e.hosts(), a.hosts());
        m.check(where, "User-Agent", e.userAgents(), a.userAgents());
        m.check(where, "Content-Type", e.contentTypes(), a.contentTypes());
        m.check(where, "Content-Length", e.contentLengths(), a.contentLengths());
        m.check(where, "TCP segments of the header block", e.segments(), a.segments());
        m.check(where, "header block bytes", e.headerBytes(), a.headerBytes());
    }

    /** Headers pairwise in order; secret ones must be tokens, the rest equal. */
    private static void headers(String where, HttpFrame e, HttpFrame a, Set<String> secretHeaders, Mismatches m) {
        for (int i = 0; i < Math.min(e.headers().size(), a.headers().size()); i++) {
            Header eh = e.headers().get(i);
            Header ah = a.headers().get(i);
            m.check(where, "header " + (i + 1) + " name", eh.name(), ah.name());
            if (secretHeaders.contains(eh.name().toLowerCase(Locale.ROOT))) {
                m.require(where, "header " + eh.name() + " is a secret: its value must be an hmac token",
                        SecretHeaders.isToken(ah.value()));
                m.require(where, "header " + eh.name() + " value published in clear", !ah.value().contains(eh.value()));
            } else {
                m.check(where, "header " + eh.name() + " value", eh.value(), ah.value());
            }
        }
    }

    private static List<String> starts(List<HttpFrame> frames) {
        List<String> out = new ArrayList<>();
        frames.forEach(f -> f.startLines().forEach(s -> out.add(s.text())));
        return out;
    }

    static Mismatches dns(List<DnsMessage> tshark, List<DnsMessage> headerlog) {
        Mismatches m = new Mismatches("DNS messages");
        matchByKey(tshark, headerlog, DnsMessage::key, DnsMessage::origin, m);
        return m;
    }

    static Mismatches tls(List<TlsHello> tshark, List<TlsHello> headerlog) {
        Mismatches m = new Mismatches("TLS hellos");
        matchByKey(tshark, headerlog, TlsHello::key, TlsHello::origin, m);
        return m;
    }

    private static <T extends Record> void matchByKey(List<T> tshark, List<T> headerlog, Function<T, String> key,
                                                      Function<T, String> origin, Mismatches m) {
        Map<String, List<T>> expected = group(tshark, key);
        Map<String, List<T>> actual = group(headerlog, key);
        Set<String> keys = new LinkedHashSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (String k : keys) {
            List<T> e = expected.getOrDefault(k, List.of());
            List<T> a = actual.getOrDefault(k, List.of());
            if (e.size() != a.size()) {
                m.problem(k, "tshark saw " + e.size() + ", headerlog logged " + a.size());
            }
            for (int i = 0; i < Math.min(e.size(), a.size()); i++) {
                m.compareRecords(k + " (" + origin.apply(e.get(i)) + ")", e.get(i), a.get(i), NOT_COMPARED);
            }
        }
    }

    private static <T> Map<String, List<T>> group(List<T> items, Function<T, String> key) {
        Map<String, List<T>> out = new LinkedHashMap<>();
        for (T t : items) {
            out.computeIfAbsent(key.apply(t), k -> new ArrayList<>()).add(t);
        }
        return out;
    }
}
