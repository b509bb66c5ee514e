package io.headerlog.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headerlog.schema.CollectorStats;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.PacketHeader;
import io.headerlog.serde.TestRecords;
import java.util.Base64;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class AvroJsonTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void shouldWriteAGeneratedRecordWithUnwrappedUnionsAndNestedRecords() throws Exception {
        PacketHeader header = TestRecords.httpRequest();

        String line = AvroJson.toJson(header);
        JsonNode json = mapper.readTree(line);

        assertThat(line).doesNotContain("\n");
        assertThat(json.get("host").asText()).isEqualTo("host-a");
        assertThat(json.get("captureTimeNs").isIntegralNumber()).isTrue();
        assertThat(json.get("captureTimeNs").asLong()).isEqualTo(1_750_000_000_123_456_789L);
        assertThat(json.get("ip").get("ipId").asLong()).isEqualTo(54321L);
        assertThat(json.get("ip").get("flowLabel").isNull()).isTrue();
        assertThat(json.get("ip").get("dontFragment").asBoolean()).isTrue();
        assertThat(json.get("tcp").get("seq").asLong()).isEqualTo(4_000_000_000L);
        assertThat(json.get("tcp").get("options").get("mss").asInt()).isEqualTo(1460);
        assertThat(json.get("ethernet").get("vlanIds")).hasSize(2);
        assertThat(json.get("ethernet").get("vlanIds").get(1).asInt()).isEqualTo(200);
        assertThat(json.get("udp").isNull()).isTrue();
        assertThat(json.get("http").get("method").asText()).isEqualTo("GET");
        assertThat(json.get("http").get("target").asText()).isEqualTo("/a \"quoted\"\\path\n");
        assertThat(json.get("http").get("statusCode").isNull()).isTrue();
        assertThat(json.get("packetHash").asLong()).isEqualTo(-8_000_000_000L);
        assertThat(json.get("parseFlags").isArray()).isTrue();
        // field order as in the schema
        List<String> names = PacketHeader.getClassSchema().getFields().stream().map(f -> f.name()).toList();
        assertThat(iterable(json.fieldNames())).containsExactlyElementsOf(names);
    }

    @Test
    void shouldWriteEveryAvroTypeAsPlainJson() throws Exception {
        GenericRecord record = TestRecords.everything();

        JsonNode json = mapper.readTree(AvroJson.toJson(record));

        assertThat(json.get("text").asText()).isEqualTo(record.get("text"));
        assertThat(json.get("i").asInt()).isEqualTo(-42);
        assertThat(json.get("l").asLong()).isEqualTo(Long.MIN_VALUE);
        assertThat(json.get("f").asDouble()).isEqualTo(1.5);
        assertThat(json.get("d").asDouble()).isEqualTo(1.0e-300);
        assertThat(json.get("flag").asBoolean()).isTrue();
        assertThat(json.get("nothing").isNull()).isTrue();
        assertThat(Base64.getDecoder().decode(json.get("raw").asText()))
                .containsExactly('b', 'y', 't', 'e', 's', 0, (byte) 0xff);
        assertThat(Base64.getDecoder().decode(json.get("mac").asText())).containsExactly(2, 0, 0, 0, 0, 1);
        assertThat(json.get("color").asText()).isEqualTo("GREEN");
        assertThat(json.get("tags").toString()).isEqualTo("[\"x\",\"y\"]");
        assertThat(json.get("counts").get("key \"with\" quotes").asLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(json.get("maybe").asText()).isEqualTo("here");
        assertThat(json.get("absent").isNull()).isTrue();
        assertThat(json.get("either").get("x").asInt()).isEqualTo(1);
        assertThat(json.get("either").get("more").get("x").asInt()).isEqualTo(2);
        assertThat(json.get("either").get("more").get("more").isNull()).isTrue();
        assertThat(json.get("inners")).hasSize(2);
    }

    @Test
    void shouldPickTheMatchingBranchOfAUnionOfSeveralTypes() throws Exception {
        GenericRecord record = TestRecords.everything();
        record.put("either", 7);
        assertThat(mapper.readTree(AvroJson.toJson(record)).get("either").isInt()).isTrue();

        record.put("either", "seven");
        assertThat(mapper.readTree(AvroJson.toJson(record)).get("either").asText()).isEqualTo("seven");
    }

    @Test
    void shouldEscapeEveryControlCharacter() throws Exception {
        GenericRecord record = TestRecords.everything();
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            all.append(c);
        }
        all.append("\"\\/\u2028\u00e9");
        record.put("text", all.toString());

        String line = AvroJson.toJson(record);

        assertThat(line.chars().filter(c -> c < 0x20)).isEmpty();
        assertThat(mapper.readTree(line).get("text").asText()).isEqualTo(all.toString());
    }

    @Test
    void shouldWriteNonFiniteFloatsAsStrings() throws Exception {
        GenericRecord record = TestRecords.everything();
        record.put("f", Float.NaN);
        record.put("d", Double.NEGATIVE_INFINITY);

        JsonNode json = mapper.readTree(AvroJson.toJson(record));

        assertThat(json.get("f").asText()).isEqualTo("NaN");
        assertThat(json.get("d").asText()).isEqualTo("-Infinity");
    }

    @Test
    void shouldAppendToACallerOwnedBuilder() throws Exception {
        CollectorStats stats = CollectorStats.newBuilder().setHost("h").setStartedAtNs(1).setTimeNs(2)
                .setInterfaces(List.of("eth0")).setPacketsSeen(3).setRecordsSubmitted(4).setRingBufferFull(0)
                .setRecordsRead(4).setRecordsPublished(4).build();
        StringBuilder out = new StringBuilder("prefix ");

        AvroJson.append(out, stats).append('\n');

        assertThat(out.toString()).startsWith("prefix {\"host\":\"h\",").endsWith("}\n");
        assertThat(mapper.readTree(out.substring("prefix ".length())).get("interfaces").get(0).asText()).isEqualTo("eth0");
    }

    @Test
    void shouldWriteARecordNestedInAnotherGeneratedRecord() throws Exception {
        EnrichedHeader enriched = EnrichedHeader.newBuilder().setHeader(TestRecords.syn()).setProcessedAtMs(5)
                .setRawTopic("headers.raw").setRawPartition(2).setRawOffset(99).build();

        JsonNode json = mapper.readTree(AvroJson.toJson(enriched));

        assertThat(json.get("header").get("tcp").get("flagNames").asText()).isEqualTo("SYN");
        assertThat(json.get("rawOffset").asLong()).isEqualTo(99);
    }

    @Test
    void shouldMatchAvrosOwnJsonForTheSameValues() throws Exception {
        // Avro's GenericData.toString is also JSON (with its own union rules): values must agree.
        GenericRecord record = TestRecords.everything();
        record.put("raw", java.nio.ByteBuffer.wrap(new byte[0]));
        record.put("mac", new GenericData.Fixed(record.getSchema().getField("mac").schema(), new byte[6]));
        JsonNode ours = mapper.readTree(AvroJson.toJson(record));
        JsonNode avros = mapper.readTree(record.toString());

        for (String field : List.of("text", "i", "l", "flag", "color", "tags", "counts", "maybe", "absent", "inners")) {
            assertThat(ours.get(field)).as(field).isEqualTo(avros.get(field));
        }
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }
}
