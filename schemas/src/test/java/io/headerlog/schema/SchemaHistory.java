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
