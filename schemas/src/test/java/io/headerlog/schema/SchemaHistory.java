package io.headerlog.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;

/**
 * Schemas as released before (src/test/resources/schema-history): every new version must read data
 * written with each of them (BACKWARD). Add the current .avsc here when a release changes it.
 */
public final class SchemaHistory {
    private SchemaHistory() {}

    /** PacketHeader v1: the walking skeleton (L2–L4 and the HTTP start line). */
    public static Schema packetHeaderV1() {
        return parse(new Schema.Parser(), "/schema-history/PacketHeader.v1.avsc");
    }

    /** EnrichedHeader v1: its own fields were unchanged, it embedded PacketHeader v1. */
    public static Schema enrichedHeaderV1() {
        Schema.Parser parser = new Schema.Parser();
        parse(parser, "/schema-history/PacketHeader.v1.avsc");
        return parse(parser, "/schema-history/EnrichedHeader.v1.avsc");
    }

    /** CollectorStats v1: the walking skeleton's counters. */
    public static Schema collectorStatsV1() {
        return parse(new Schema.Parser(), "/schema-history/CollectorStats.v1.avsc");
    }

    /** ClockOffset v1: the clock model's estimates as first published. */
    public static Schema clockOffsetV1() {
        return parse(new Schema.Parser(), "/schema-history/ClockOffset.v1.avsc");
    }

    /** CorrelatedPacket v1: the cross-host correlation as first published. */
    public static Schema correlatedPacketV1() {
        return parse(new Schema.Parser(), "/schema-history/CorrelatedPacket.v1.avsc");
    }

    /**
     * HttpTransaction v1: paired and joined HTTP transactions as first published. Its source file
     * named PacketHeader's TraceContext; the copy here has it inline, as the registry stored it.
     */
    public static Schema httpTransactionV1() {
        return parse(new Schema.Parser(), "/schema-history/HttpTransaction.v1.avsc");
    }

    /** FlowSummary v1: the collectors' exact flow counters as first published. */
    public static Schema flowSummaryV1() {
        return parse(new Schema.Parser(), "/schema-history/FlowSummary.v1.avsc");
    }

    /** FlowWindowSummary v1: windowed estimates next to exact flow counters as first published. */
    public static Schema flowWindowSummaryV1() {
        return parse(new Schema.Parser(), "/schema-history/FlowWindowSummary.v1.avsc");
    }

    /** StreamsStats v1: the streams app's counters as first published (records, clock, correlation, HTTP). */
    public static Schema streamsStatsV1() {
        return parse(new Schema.Parser(), "/schema-history/StreamsStats.v1.avsc");
    }

    private static Schema parse(Schema.Parser parser, String resource) {
        try (InputStream in = SchemaHistory.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return parser.parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
