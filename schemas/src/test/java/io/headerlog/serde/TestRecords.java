package io.headerlog.serde;

import io.headerlog.schema.Ethernet;
import io.headerlog.schema.Http;
import io.headerlog.schema.Ip;
import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.Tcp;
import io.headerlog.schema.TcpOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/** Realistic records for the serde and JSON tests. */
public final class TestRecords {
    static {
        // records are built here without a serializer having trusted their package (as producers do)
        io.headerlog.schema.GeneratedSchemas.trust();
    }


    private TestRecords() {
    }

    public static PacketHeader syn() {
        return PacketHeader.newBuilder()
                .setHost("host-a")
                .setIfName("veth0")
                .setIfIndex(7)
                .setDirection("egress")
                .setMonoTimeNs(123_456_789_012L)
                .setCaptureTimeNs(1_750_000_000_123_456_789L)
                .setPacketLength(74)
                .setGsoSegs(1)
                .setPayloadLength(0)
                .setCapturedPayloadLength(0)
                .setParseFlags(List.of())
                .setEthernet(Ethernet.newBuilder().setSrcMac("02:00:00:00:00:01").setDstMac("02:00:00:00:00:02")
                        .setEtherType(0x0800).setVlanIds(List.of(100, 200)).build())
                .setIp(Ip.newBuilder().setVersion(4).setSrc("198.18.0.1").setDst("198.18.0.2").setProtocol(6)
                        .setTtl(64).setDscp(0).setEcn(0).setIpId(54321L).setFlowLabel(null).setTotalLength(60)
                        .setDontFragment(true).setMoreFragments(false).setFragmentOffset(0).build())
                .setTcp(Tcp.newBuilder().setSrcPort(40000).setDstPort(80).setSeq(4_000_000_000L).setAck(0L)
                        .setFlags(2).setFlagNames("SYN").setWindow(64240).setHeaderLength(40)
                        .setOptions(TcpOptions.newBuilder().setMss(1460).setWindowScale(7).setSackPermitted(true)
                                .setTsVal(3_000_000_000L).setTsEcr(0L).build())
                        .build())
                .setCommunityId("1:LQU9qZlK+B5F3KDmev6m5PMibrg=")
                .setPacketHash(-8_000_000_000L)
                .setSampleRate(1)
                .build();
    }

    public static PacketHeader httpRequest() {
        PacketHeader header = syn();
        header.setPayloadLength(78);
        header.setCapturedPayloadLength(78);
        header.getTcp().setFlags(24);
        header.getTcp().setFlagNames("PSH,ACK");
        header.setHttp(Http.newBuilder().setMethod("GET").setTarget("/a \"quoted\"\\path\n").setVersion("HTTP/1.1")
                .build());
        return header;
    }

    /** A generic schema that uses every Avro type, unions of several branches included. */
    public static Schema everythingSchema() {
        return new Schema.Parser().parse("""
                {"type": "record", "name": "Everything", "namespace": "test", "fields": [
                  {"name": "text", "type": "string"},
                  {"name": "i", "type": "int"},
                  {"name": "l", "type": "long"},
                  {"name": "f", "type": "float"},
                  {"name": "d", "type": "double"},
                  {"name": "flag", "type": "boolean"},
                  {"name": "nothing", "type": "null"},
                  {"name": "raw", "type": "bytes"},
                  {"name": "mac", "type": {"type": "fixed", "name": "Mac", "size": 6}},
                  {"name": "color", "type": {"type": "enum", "name": "Color", "symbols": ["RED", "GREEN"]}},
                  {"name": "tags", "type": {"type": "array", "items": "string"}},
                  {"name": "counts", "type": {"type": "map", "values": "long"}},
                  {"name": "maybe", "type": ["null", "string"], "default": null},
                  {"name": "absent", "type": ["null", "long"], "default": null},
                  {"name": "either", "type": ["null", "int", "string", {"type": "record", "name": "Inner",
                      "fields": [{"name": "x", "type": "int"}, {"name": "more", "type": ["null", "Inner"], "default": null}]}]},
                  {"name": "inners", "type": {"type": "array", "items": "Inner"}}
                ]}
                """);
    }

    public static GenericRecord everything() {
        Schema schema = everythingSchema();
        Schema inner = schema.getField("inners").schema().getElementType();
        GenericRecord leaf = new GenericData.Record(inner);
        leaf.put("x", 2);
        GenericRecord nested = new GenericData.Record(inner);
        nested.put("x", 1);
        nested.put("more", leaf);
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("a", 1L);
        counts.put("key \"with\" quotes", Long.MAX_VALUE);
        GenericRecord record = new GenericData.Record(schema);
        record.put("text", "tab\there, newline\n, quote\", backslash\\, bell\u0007, unicode \u00e9\u4e2d\uD83D\uDE00");
        record.put("i", -42);
        record.put("l", Long.MIN_VALUE);
        record.put("f", 1.5f);
        record.put("d", 1.0e-300);
        record.put("flag", true);
        record.put("nothing", null);
        record.put("raw", ByteBuffer.wrap("bytes\0\u00ff".getBytes(StandardCharsets.ISO_8859_1)));
        record.put("mac", new GenericData.Fixed(schema.getField("mac").schema(), new byte[] {2, 0, 0, 0, 0, 1}));
        record.put("color", new GenericData.EnumSymbol(schema.getField("color").schema(), "GREEN"));
        record.put("tags", List.of("x", "y"));
        record.put("counts", counts);
        record.put("maybe", "here");
        record.put("absent", null);
        record.put("either", nested);
        record.put("inners", List.of(leaf, nested));
        return record;
    }
}
