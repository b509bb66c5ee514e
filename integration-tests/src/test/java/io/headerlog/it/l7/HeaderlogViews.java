package io.headerlog.it.l7;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headerlog.it.l7.HttpFrame.Header;
import io.headerlog.it.l7.HttpFrame.StartLine;
import io.headerlog.json.AvroJson;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.IndexedRecord;

/**
 * headerlog's records — JSON lines of {@code --sink stdout}, or Avro records from Kafka turned into
 * the same JSON — as the models tshark's dissection is compared with. Field names are the Avro
 * schema's (PacketHeader.avsc).
 */
final class HeaderlogViews {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HeaderlogViews() {
    }

    /** Parses the collector's stdout: every line must be one JSON record. */
    static List<JsonNode> parseLines(List<String> lines) {
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            try {
                out.add(JSON.readTree(lines.get(i)));
            } catch (JsonProcessingException e) {
                // the message would hold the line, and a line may hold header values: say where, not what
                throw new AssertionError("stdout line " + (i + 1) + " of the collector is not JSON (" + lines.get(i).length()
                        + " chars): " + e.getOriginalMessage().replaceAll("'.*'", "'…'"));
            }
        }
        return out;
    }

    /** An Avro record (e.g. a PacketHeader read from Kafka) in the JSON form of {@code --sink stdout}. */
    static JsonNode toJson(IndexedRecord record) {
        try {
            return JSON.readTree(AvroJson.toJson(record));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("AvroJson wrote invalid JSON for a " + record.getSchema().getName(), e);
        }
    }

    static List<JsonNode> withField(List<JsonNode> records, String field) {
        return records.stream().filter(r -> r.hasNonNull(field)).toList();
    }

    /**
     * The HTTP records grouped into packets: records of one packet (same observer, capture time and
     * TCP segment) carry the messages that began in it, ordered by appMessageIndex.
     */
    static List<HttpFrame> http(List<JsonNode> records) {
        Map<String, List<JsonNode>> packets = new LinkedHashMap<>();
        for (JsonNode r : withField(records, "http")) {
            String key = r.path("host").asText() + "|" + r.path("ifIndex").asInt() + "|" + r.path("direction").asText()
                    + "|" + r.path("monoTimeNs").asLong() + "|" + stream(r) + "|" + r.path("tcp").path("seq").asLong();
            packets.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<HttpFrame> frames = new ArrayList<>();
        for (List<JsonNode> packet : packets.values()) {
            packet.sort(Comparator.comparingInt(r -> r.path("appMessageIndex").asInt()));
            frames.add(httpFrame(packet));
        }
        return frames;
    }

    private static HttpFrame httpFrame(List<JsonNode> packet) {
        List<StartLine> starts = new ArrayList<>();
        List<Header> headers = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        List<String> agents = new ArrayList<>();
        List<String> types = new ArrayList<>();
        List<Long> lengths = new ArrayList<>();
        int bytes = 0;
        boolean truncated = false;
        for (JsonNode r : packet) {
            JsonNode h = r.path("http");
            truncated |= h.path("truncated").asBoolean();
            starts.add(new StartLine(text(h, "method"), text(h, "target"), text(h, "version"),
                    h.hasNonNull("statusCode") ? h.get("statusCode").asInt() : null, text(h, "reason")));
            for (JsonNode header : h.path("headers")) {
                headers.add(new Header(header.path("name").asText(), header.path("value").asText()));
            }
            addIfPresent(hosts, text(h, "host"));
            addIfPresent(agents, text(h, "userAgent"));
            addIfPresent(types, text(h, "contentType"));
            if (h.hasNonNull("contentLength")) {
                lengths.add(h.get("contentLength").asLong());
            }
            bytes += h.path("headerBytes").asInt();
        }
        JsonNode first = packet.get(0);
        return new HttpFrame("headerlog record of " + first.path("host").asText() + " " + first.path("direction").asText()
                + " at " + first.path("monoTimeNs").asLong(), stream(first), starts, headers, hosts, agents, types,
                lengths, first.path("http").path("segments").asInt(), bytes, truncated, 0);
    }

    static List<DnsMessage> dns(List<JsonNode> records) {
        List<DnsMessage> out = new ArrayList<>();
        for (JsonNode r : withField(records, "dns")) {
            JsonNode d = r.get("dns");
            JsonNode l4 = r.hasNonNull("tcp") ? r.get("tcp") : r.path("udp");
            List<DnsMessage.Question> questions = new ArrayList<>();
            for (JsonNode q : d.path("questions")) {
                questions.add(new DnsMessage.Question(q.path("name").asText(), q.path("type").asInt(), q.path("qclass").asInt()));
            }
            List<DnsMessage.Answer> answers = new ArrayList<>();
            for (JsonNode a : d.path("answers")) {
                answers.add(new DnsMessage.Answer(a.path("name").asText(), a.path("type").asInt(), a.path("aclass").asInt(),
                        a.path("ttl").asLong(), text(a, "data")));
            }
            out.add(new DnsMessage("headerlog record of " + r.path("host").asText() + " " + r.path("direction").asText()
                    + " at " + r.path("monoTimeNs").asLong(), d.path("transport").asText(), l4.path("srcPort").asInt(),
                    l4.path("dstPort").asInt(), d.path("id").asInt(), d.path("response").asBoolean(),
                    d.path("opcode").asInt(), d.path("rcode").asInt(), d.path("flags").asInt(),
                    d.path("authoritative").asBoolean(), d.path("truncated").asBoolean(),
                    d.path("recursionDesired").asBoolean(), d.path("recursionAvailable").asBoolean(),
                    d.path("questionCount").asInt(), d.path("answerCount").asInt(), d.path("authorityCount").asInt(),
                    d.path("additionalCount").asInt(), questions, answers));
        }
        return out;
    }

    static List<TlsHello> tls(List<JsonNode> records) {
        List<TlsHello> out = new ArrayList<>();
        for (JsonNode r : withField(records, "tls")) {
            JsonNode t = r.get("tls");
            out.add(new TlsHello("headerlog record of " + r.path("host").asText() + " " + r.path("direction").asText()
                    + " at " + r.path("monoTimeNs").asLong(), stream(r), t.path("handshakeType").asText(),
                    t.path("recordVersion").asInt(), t.path("helloVersion").asInt(), text(t, "sni"),
                    strings(t.path("alpn")), ints(t.path("supportedVersions")),
                    t.hasNonNull("selectedVersion") ? t.get("selectedVersion").asInt() : null,
                    ints(t.path("cipherSuites")), t.hasNonNull("cipherSuite") ? t.get("cipherSuite").asInt() : null));
        }
        return out;
    }

    /** "srcPort>dstPort" of the record's TCP header, as tshark's views name streams. */
    static String stream(JsonNode r) {
        JsonNode tcp = r.path("tcp");
        return tcp.path("srcPort").asInt() + ">" + tcp.path("dstPort").asInt();
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static void addIfPresent(List<String> list, String v) {
        if (v != null) {
            list.add(v);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asInt()));
        return out;
    }
}
