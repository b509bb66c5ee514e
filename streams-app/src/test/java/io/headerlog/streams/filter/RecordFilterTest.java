package io.headerlog.streams.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.schema.PacketHeader;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

class RecordFilterTest {
    private static final PacketHeader GET = Records.httpGet();
    private static final PacketHeader ACK = Records.tcpAck();
    private static final PacketHeader DNS = Records.dnsQuery("www.example.com");

    @Test
    void selectsOnFieldsOfNestedRecords() {
        RecordFilter filter = RecordFilter.compile("header.ip.src == \"198.18.0.1\" && header.tcp.dstPort == 80");

        assertThat(filter.evaluate(GET)).isEqualTo(FilterResult.KEEP);
        assertThat(filter.evaluate(ACK)).isEqualTo(FilterResult.DROP);
    }

    @Test
    void hasIsFalseForAnAbsentOptionalRecordAndGuardsItsFields() {
        RecordFilter filter = RecordFilter.compile("has(header.http) && header.http.method == \"GET\"");

        assertThat(filter.evaluate(GET)).isEqualTo(FilterResult.KEEP);
        assertThat(filter.evaluate(ACK)).isEqualTo(FilterResult.DROP);
        assertThat(filter.evaluate(DNS)).isEqualTo(FilterResult.DROP);
    }

    @Test
    void hasTellsWhetherAnOptionalScalarIsSet() {
        assertThat(RecordFilter.compile("has(header.ip.ipId)").evaluate(GET)).isEqualTo(FilterResult.KEEP);
        assertThat(RecordFilter.compile("has(header.ip.flowLabel)").evaluate(GET)).isEqualTo(FilterResult.DROP);
        assertThat(RecordFilter.compile("has(header.http.userAgent) && !has(header.http.contentType)").evaluate(GET))
                .isEqualTo(FilterResult.KEEP);
    }

    @Test
    void absentTopLevelHashIsAbsentToo() {
        RecordFilter filter = RecordFilter.compile("!has(header.packetHash) && !has(header.ip)");

        assertThat(filter.evaluate(Records.nonIp())).isEqualTo(FilterResult.KEEP);
        assertThat(filter.evaluate(GET)).isEqualTo(FilterResult.DROP);
    }

    @Test
    void listsOfRecordsAndStringsSupportMacrosAndStringFunctions() {
        RecordFilter dnsName = RecordFilter.compile(
                "has(header.dns) && header.dns.questions.exists(q, q.name.endsWith(\".example.com\") && q.typeName == \"A\")");
        RecordFilter httpHeader = RecordFilter.compile(
                "has(header.http) && header.http.headers.exists(h, h.name.lowerAscii() == \"x-request-id\")");
        RecordFilter parseFlag = RecordFilter.compile("\"FRAGMENT\" in header.parseFlags");

        assertThat(dnsName.evaluate(DNS)).isEqualTo(FilterResult.KEEP);
        assertThat(dnsName.evaluate(Records.dnsQuery("example.org"))).isEqualTo(FilterResult.DROP);
        assertThat(dnsName.evaluate(GET)).isEqualTo(FilterResult.DROP);
        assertThat(httpHeader.evaluate(GET)).isEqualTo(FilterResult.KEEP);
        assertThat(parseFlag.evaluate(GET)).isEqualTo(FilterResult.DROP);
        assertThat(parseFlag.evaluate(Records.base().setParseFlags(List.of("SNAP_CUT", "FRAGMENT")).build()))
                .isEqualTo(FilterResult.KEEP);
    }

    @Test
    void avroIntsAndLongsAreCelIntsAndStringsAreStrings() {
        assertThat(RecordFilter.compile("header.packetHash == 0x123456789abcdef0 && header.tcp.options.tsVal == 123456"
                + " && header.ip.ttl <= 64 && header.http.target.matches(\"^/api/\") && header.direction == \"egress\"")
                .evaluate(GET)).isEqualTo(FilterResult.KEEP);
    }

    @Test
    void tcpFlagsAreTestedWithMathBitAndOrByName() {
        RecordFilter syn = RecordFilter.compile("has(header.tcp) && math.bitAnd(header.tcp.flags, 2) != 0");
        RecordFilter pshByName = RecordFilter.compile("has(header.tcp) && \"PSH\" in header.tcp.flagNames.split(\",\")");
        PacketHeader synPacket = Records.base().setIp(Records.ipv4("198.18.0.1", "198.18.0.2", 6))
                .setTcp(Records.tcp(40000, 80, 2, "SYN")).build();

        assertThat(syn.evaluate(synPacket)).isEqualTo(FilterResult.KEEP);
        assertThat(syn.evaluate(GET)).isEqualTo(FilterResult.DROP);
        assertThat(syn.evaluate(DNS)).isEqualTo(FilterResult.DROP);
        assertThat(pshByName.evaluate(GET)).isEqualTo(FilterResult.KEEP);
        assertThat(pshByName.evaluate(ACK)).isEqualTo(FilterResult.DROP);
    }

    @Test
    void emptyOrAbsentExpressionKeepsEveryRecord() {
        for (String expression : new String[] {null, "", "  \n "}) {
            RecordFilter filter = RecordFilter.compile(expression);
            assertThat(filter.keepsAll()).isTrue();
            assertThat(filter.evaluate(GET)).isEqualTo(FilterResult.KEEP);
            assertThat(filter.evaluate(null)).isEqualTo(FilterResult.KEEP);
        }
        assertThat(RecordFilter.compile("true").keepsAll()).isFalse();
    }

    @Test
    void syntaxErrorFailsAtCompileWithLineColumnAndCaret() {
        assertThatThrownBy(() -> RecordFilter.compile("header.ip.src == "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid filter expression")
                .hasMessageContaining("filter:1:18")
                .hasMessageContaining(" | header.ip.src == \n | .................^");
    }

    @Test
    void syntaxErrorOnALaterLineNamesThatLine() {
        assertThatThrownBy(() -> RecordFilter.compile("header.ip.src == \"198.18.0.1\"\n  && header.tcp.dstPort == = 80"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("filter:2:")
                .hasMessageContaining(" |   && header.tcp.dstPort == = 80");
    }

    @Test
    void typeErrorFailsAtCompileWithPosition() {
        assertThatThrownBy(() -> RecordFilter.compile("header.tcp.dstPort == \"80\""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("filter:1:20")
                .hasMessageContaining("no matching overload for '_==_' applied to '(int, string)'")
                .hasMessageContaining(" | ...................^");
    }

    @Test
    void misspeltFieldFailsAtCompileWithPosition() {
        assertThatThrownBy(() -> RecordFilter.compile("header.tcp.dstport == 80"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("filter:1:11")
                .hasMessageContaining("undefined field 'dstport'");
    }

    @Test
    void unknownVariableFailsAtCompile() {
        assertThatThrownBy(() -> RecordFilter.compile("tcp.dstPort == 80"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("filter:1:1")
                .hasMessageContaining("undeclared reference to 'tcp'");
    }

    @Test
    void expressionThatIsNotBoolFailsAtCompile() {
        assertThatThrownBy(() -> RecordFilter.compile("header.tcp.dstPort"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("filter:1:11")
                .hasMessageContaining("expected type 'bool' but found 'int'");
    }

    @Test
    void readingAnAbsentFieldIsAnErrorResultWithPositionNotAnException() {
        RecordFilter filter = RecordFilter.compile("header.http.method == \"GET\"");

        FilterResult result = filter.evaluate(ACK);

        assertThat(result.isError()).isTrue();
        assertThat(result.keep()).isFalse();
        assertThat(result.error())
                .contains("filter:1:12")
                .contains("'http'")
                .contains("has(");
        assertThat(filter.evaluate(GET)).isEqualTo(FilterResult.KEEP);
    }

    @Test
    void evaluationErrorOnALaterLineNamesThatLineAndColumn() {
        FilterResult result = RecordFilter.compile("has(header.ip)\n && header.http.method == \"GET\"").evaluate(ACK);

        assertThat(result.error()).startsWith("evaluation error at filter:2:16: ");
    }

    @Test
    void arithmeticErrorIsAnErrorResult() {
        FilterResult result = RecordFilter.compile("header.tcp.dstPort / (header.tcp.srcPort - 40000) > 1").evaluate(GET);

        assertThat(result.outcome()).isEqualTo(FilterResult.Outcome.ERROR);
        assertThat(result.error()).contains("filter:1:20").contains("by zero");
    }

    @Test
    void logicalOperatorsAbsorbAnErrorWhenTheOtherSideDecides() {
        assertThat(RecordFilter.compile("header.http.method == \"GET\" || header.ip.protocol == 6").evaluate(ACK))
                .isEqualTo(FilterResult.KEEP);
        assertThat(RecordFilter.compile("header.http.method == \"GET\" && header.ip.protocol == 17").evaluate(ACK))
                .isEqualTo(FilterResult.DROP);
    }

    @Test
    void nullRecordIsAnErrorResult() {
        assertThat(RecordFilter.compile("true").evaluate(null).isError()).isTrue();
    }

    @Test
    void bytesEnumsMapsAndDoublesOfOtherSchemasMapToCelTypes() {
        Schema schema = SchemaBuilder.record("Probe").namespace("test")
                .fields()
                .requiredBytes("payload")
                .name("kind").type().enumeration("Kind").symbols("A", "B").noDefault()
                .name("labels").type().map().values().stringType().noDefault()
                .requiredDouble("ratio")
                .optionalString("note")
                .endRecord();
        GenericData.Record probe = new GenericData.Record(schema);
        probe.put("payload", ByteBuffer.wrap(new byte[] {1, 2}));
        probe.put("kind", new GenericData.EnumSymbol(schema.getField("kind").schema(), "B"));
        probe.put("labels", Map.of("team", "net"));
        probe.put("ratio", 0.75);

        RecordFilter filter = RecordFilter.compile("header.payload == b\"\\x01\\x02\" && size(header.payload) == 2"
                + " && header.kind == \"B\" && header.labels[\"team\"] == \"net\" && header.ratio > 0.5"
                + " && !has(header.note)", schema);

        assertThat(filter.evaluate(probe)).isEqualTo(FilterResult.KEEP);
    }

    @Test
    void oneCompiledFilterServesManyThreadsAtOnce() throws Exception {
        RecordFilter filter = RecordFilter.compile("has(header.http) && header.http.method == \"GET\"");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> kept = pool.invokeAll(List.of(() -> keptOf(filter), () -> keptOf(filter),
                    () -> keptOf(filter), () -> keptOf(filter)));
            for (Future<Integer> k : kept) {
                assertThat(k.get()).isEqualTo(10_000);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static int keptOf(RecordFilter filter) {
        int kept = 0;
        for (int i = 0; i < 10_000; i++) {
            kept += filter.evaluate(GET).keep() ? 1 : 0;
            kept -= filter.evaluate(ACK).keep() ? 1 : 0;
        }
        return kept;
    }
}
