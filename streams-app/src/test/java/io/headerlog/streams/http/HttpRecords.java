package io.headerlog.streams.http;

import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.GeneratedSchemas;
import io.headerlog.schema.Http;
import io.headerlog.schema.Ip;
import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.Tcp;
import io.headerlog.schema.TcpOptions;
import io.headerlog.schema.TraceContext;
import java.util.List;

/**
 * EnrichedHeader records carrying one HTTP message, as a collector on a test host would log them.
 * Each host's monotonic clock runs {@link #bootNs} behind its wall clock, so latencies come out of
 * mono times while reported times are wall times — the two must not be mixed up.
 */
final class HttpRecords {
    static final long START_NS = 1_772_366_400_000_000_000L;
    static final long MS = 1_000_000L;
    static final String FLOW = "1:http-flow-a";
    static final String CLIENT_IP = "198.18.0.1";
    static final String SERVER_IP = "198.18.0.2";

    static {
        GeneratedSchemas.trust();
    }

    private HttpRecords() {
    }

    /** Per-host boot offset: the host's mono clock reads wall − this. */
    static long bootNs(String host) {
        return 1_700_000_000_000_000_000L + (host.hashCode() & 0xFFFF) * 1_000_000_000L;
    }

    static Builder request(String host, String direction, String method, String target) {
        Builder b = new Builder(host, direction);
        b.method = method;
        b.target = target;
        b.fromClient = true;
        return b;
    }

    static Builder response(String host, String direction, int status) {
        Builder b = new Builder(host, direction);
        b.status = status;
        b.reason = status == 200 ? "OK" : "Status " + status;
        b.fromClient = false;
        return b;
    }

    static final class Builder {
        private final String host;
        private final String direction;
        private String ifName = "veth0";
        private String flow = FLOW;
        private long wallNs = START_NS;
        private Long alignedNs;
        private Long clockErrorNs;
        private long seq = 1000;
        private int index;
        private boolean fromClient;
        private String method;
        private String target;
        private Integer status;
        private String reason;
        private String requestId;
        private TraceContext trace;

        private Builder(String host, String direction) {
            this.host = host;
            this.direction = direction;
        }

        Builder at(long wallNs) {
            this.wallNs = wallNs;
            return this;
        }

        Builder ifName(String value) {
            this.ifName = value;
            return this;
        }

        Builder flow(String value) {
            this.flow = value;
            return this;
        }

        Builder aligned(long alignedNs, long clockErrorNs) {
            this.alignedNs = alignedNs;
            this.clockErrorNs = clockErrorNs;
            return this;
        }

        /** TCP sequence number of the packet and which of its messages this is. */
        Builder packet(long seq, int index) {
            this.seq = seq;
            this.index = index;
            return this;
        }

        Builder requestId(String value) {
            this.requestId = value;
            return this;
        }

        Builder traceparent(String traceId, String parentId) {
            this.trace = TraceContext.newBuilder().setVersion(0).setTraceId(traceId).setParentId(parentId).setFlags(1)
                    .build();
            return this;
        }

        EnrichedHeader build() {
            Http http = Http.newBuilder()
                    .setMethod(method).setTarget(target).setVersion("HTTP/1.1")
                    .setStatusCode(status).setReason(reason)
                    // a secret header as the policy leaves it: it must never reach a transaction
                    .setHeaders(List.of(io.headerlog.schema.HttpHeader.newBuilder().setName("Authorization")
                            .setValue("hmac:c2VjcmV0LXRva2Vu").build()))
                    .setHost(method != null ? "api.test" : null)
                    .setRequestId(requestId).setTraceparent(trace)
                    .setHeaderBytes(120).setSegments(1).setTruncated(false).setHeadersDropped(0)
                    .build();
            PacketHeader h = PacketHeader.newBuilder()
                    .setHost(host).setIfName(ifName).setIfIndex(7).setDirection(direction)
                    .setMonoTimeNs(wallNs - bootNs(host)).setCaptureTimeNs(wallNs)
                    .setPacketLength(200).setGsoSegs(1).setPayloadLength(120).setCapturedPayloadLength(120)
                    .setParseFlags(List.of())
                    .setIp(Ip.newBuilder().setVersion(4).setSrc(fromClient ? CLIENT_IP : SERVER_IP)
                            .setDst(fromClient ? SERVER_IP : CLIENT_IP).setProtocol(6).setTtl(64).setDscp(0).setEcn(0)
                            .setIpId(1L).setTotalLength(160).setDontFragment(true).setMoreFragments(false)
                            .setFragmentOffset(0).build())
                    .setTcp(Tcp.newBuilder().setSrcPort(fromClient ? 40000 : 80).setDstPort(fromClient ? 80 : 40000)
                            .setSeq(seq).setAck(1L).setFlags(24).setFlagNames("PSH,ACK").setWindow(502)
                            .setHeaderLength(32).setOptions(TcpOptions.newBuilder().build()).build())
                    .setHttp(http)
                    .setCommunityId(flow).setPacketHash(seq * 31 + index).setSampleRate(1).setAppMessageIndex(index)
                    .build();
            return EnrichedHeader.newBuilder()
                    .setHeader(h).setProcessedAtMs(wallNs / MS).setRawTopic("headers.raw").setRawPartition(0)
                    .setRawOffset(0L)
                    .setAlignedTimeNs(alignedNs).setClockErrorNs(clockErrorNs)
                    .setClockReference(alignedNs == null ? null : "host-a")
                    .setCombinedSampleRate(1L)
                    .build();
        }

        HttpMessage message() {
            return HttpMessage.of(build()).orElseThrow();
        }
    }
}
