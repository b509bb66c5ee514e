package io.headerlog.tools.view;

import io.headerlog.schema.ClockOffset;
import io.headerlog.schema.CollectorStats;
import io.headerlog.schema.Dns;
import io.headerlog.schema.DnsAnswer;
import io.headerlog.schema.DnsQuestion;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.Http;
import io.headerlog.schema.Icmp;
import io.headerlog.schema.Ip;
import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.StreamsClockCounts;
import io.headerlog.schema.StreamsCorrelationCounts;
import io.headerlog.schema.StreamsHttpCounts;
import io.headerlog.schema.StreamsRecordCounts;
import io.headerlog.schema.StreamsStats;
import io.headerlog.schema.Tcp;
import io.headerlog.schema.TcpOptions;
import io.headerlog.schema.Tls;
import io.headerlog.schema.Udp;
import java.util.List;

/** Hand-built records for the view's tests, shaped like what the collector and streams app emit. */
final class ViewRecords {
    static final long T0_NS = 1_772_366_400_000_000_000L; // 2026-03-01T12:00:00Z

    private ViewRecords() {
    }

    static PacketHeader.Builder packet(String host, String direction, long captureTimeNs) {
        return PacketHeader.newBuilder()
                .setHost(host).setIfName("veth0").setIfIndex(3).setDirection(direction)
                .setMonoTimeNs(captureTimeNs % 1_000_000_000_000L).setCaptureTimeNs(captureTimeNs)
                .setPacketLength(100).setGsoSegs(1).setPayloadLength(0).setCapturedPayloadLength(0)
                .setParseFlags(List.of()).setSampleRate(1);
    }

    static Ip ipv4(int protocol) {
        return ip(4, "198.18.0.1", "198.18.0.2", protocol);
    }

    static Ip ipv6(int protocol) {
        return ip(6, "fd00::1", "fd00::2", protocol);
    }

    private static Ip ip(int version, String src, String dst, int protocol) {
        return Ip.newBuilder().setVersion(version).setSrc(src).setDst(dst).setProtocol(protocol).setTtl(64)
                .setDscp(0).setEcn(0).setTotalLength(80).setDontFragment(true).setMoreFragments(false)
                .setFragmentOffset(0).build();
    }

    static Tcp tcp(int srcPort, int dstPort, String flags) {
        return Tcp.newBuilder().setSrcPort(srcPort).setDstPort(dstPort).setSeq(1).setAck(0).setFlags(24)
                .setFlagNames(flags).setWindow(500).setHeaderLength(20)
                .setOptions(TcpOptions.newBuilder().build()).build();
    }

    static Udp udp() {
        return udp(5353, 53);
    }

    static Udp udp(int srcPort, int dstPort) {
        return Udp.newBuilder().setSrcPort(srcPort).setDstPort(dstPort).setLength(40).build();
    }

    static Icmp icmp() {
        return Icmp.newBuilder().setType(8).setCode(0).setEchoId(1).setEchoSeq(1).build();
    }

    // The header list is set although it defaults to empty: Avro builds a default record-array by
    // loading HttpHeader by name, which its class-trust check refuses until a deserializer has
    // trusted io.headerlog.schema in this JVM.
    static Http request(String method, String target) {
        return Http.newBuilder().setMethod(method).setTarget(target).setVersion("HTTP/1.1")
                .setHeaders(List.of()).build();
    }

    static Http response(int status) {
        return Http.newBuilder().setVersion("HTTP/1.1").setStatusCode(status).setReason("OK")
                .setHeaders(List.of()).build();
    }

    /** A DNS query over UDP with one question of class IN. */
    static Dns.Builder dnsQuery(int id, String name, String typeName) {
        return Dns.newBuilder().setTransport("udp").setId(id).setResponse(false).setOpcode(0).setRcode(0)
                .setFlags(0x0100).setAuthoritative(false).setTruncated(false).setRecursionDesired(true)
                .setRecursionAvailable(false).setQuestionCount(1).setAnswerCount(0).setAuthorityCount(0)
                .setAdditionalCount(0).setQuestions(List.of(question(name, typeName))).setAnswers(List.of());
    }

    /** The response to {@link #dnsQuery} with these answers and rcode. */
    static Dns.Builder dnsResponse(int id, String name, String typeName, int rcode, List<DnsAnswer> answers) {
        return dnsQuery(id, name, typeName).setResponse(true).setRcode(rcode).setFlags(0x8180 | rcode)
                .setRecursionAvailable(true).setAnswerCount(answers.size()).setAnswers(answers);
    }

    static DnsQuestion question(String name, String typeName) {
        return DnsQuestion.newBuilder().setName(name).setType(typeNumber(typeName)).setTypeName(typeName)
                .setQclass(1).build();
    }

    static DnsAnswer answer(String name, String typeName, String data) {
        return DnsAnswer.newBuilder().setName(name).setType(typeNumber(typeName)).setTypeName(typeName)
                .setAclass(1).setTtl(300).setData(data).build();
    }

    private static int typeNumber(String typeName) {
        return switch (typeName) {
            case "A" -> 1;
            case "CNAME" -> 5;
            case "MX" -> 15;
            case "AAAA" -> 28;
            default -> 65280;
        };
    }

    static Tls.Builder clientHello(String sni, List<String> alpn, List<Integer> supportedVersions) {
        return Tls.newBuilder().setHandshakeType("client_hello").setRecordVersion(0x0301).setHelloVersion(0x0303)
                .setSni(sni).setAlpn(alpn).setSupportedVersions(supportedVersions)
                .setCipherSuites(List.of(0x1302, 0x1301, 0xc02f));
    }

    static Tls.Builder serverHello(Integer selectedVersion, int cipherSuite) {
        return Tls.newBuilder().setHandshakeType("server_hello").setRecordVersion(0x0303).setHelloVersion(0x0303)
                .setSelectedVersion(selectedVersion).setCipherSuite(cipherSuite);
    }

    static EnrichedHeader enriched(PacketHeader header, long processedAtMs) {
        return EnrichedHeader.newBuilder().setHeader(header).setProcessedAtMs(processedAtMs)
                .setRawTopic("headers.raw").setRawPartition(0).setRawOffset(0).build();
    }

    /** A TCP packet from host-a/egress processed {@code latencyMs} after capture. */
    static EnrichedHeader tcpPacket(String host, String direction, int gsoSegs, int sampleRate, long latencyMs) {
        PacketHeader h = packet(host, direction, T0_NS).setGsoSegs(gsoSegs).setSampleRate(sampleRate)
                .setIp(ipv4(6)).setTcp(tcp(40000, 80, "PSH,ACK")).build();
        return enriched(h, T0_NS / 1_000_000 + latencyMs);
    }

    static CollectorStats stats(String host, long timeNs, long ringBufferFull, long publishErrors) {
        return CollectorStats.newBuilder().setHost(host).setStartedAtNs(T0_NS - 60_000_000_000L).setTimeNs(timeNs)
                .setInterfaces(List.of("veth0")).setPacketsSeen(1000).setRecordsSubmitted(990)
                .setRingBufferFull(ringBufferFull).setRecordsRead(990).setDecodeErrors(1)
                .setRecordsPublished(980).setPublishErrors(publishErrors).setFiltered(4).setSampledOut(6)
                .setSampleRate(10).build();
    }

    /** {@code host}'s estimate against {@code reference}, computed at {@code computedAtMs}, drift 0, no steps. */
    static ClockOffset clock(String host, String reference, long offsetNs, long errorBoundNs, int samples,
            long computedAtMs) {
        return ClockOffset.newBuilder().setHost(host).setReference(reference).setOffsetNs(offsetNs)
                .setDriftPpm(0.0).setErrorBoundNs(errorBoundNs).setDriftBoundPpm(0.0).setSamples(samples)
                .setValidFromNs(computedAtMs * 1_000_000L)
                .setPath(host.equals(reference) ? List.of(reference) : List.of(host, reference))
                .setSteps(0).setComputedAtMs(computedAtMs).build();
    }

    /**
     * {@code record}, changed in place, as the streams app emits it once the host has a clock model.
     * (Not through a copying builder: its deep copy trips Avro's class-trust check, see above.)
     */
    static EnrichedHeader aligned(EnrichedHeader record, String reference, long offsetNs, long errorNs) {
        record.setAlignedTimeNs(record.getHeader().getCaptureTimeNs() - offsetNs);
        record.setClockErrorNs(errorNs);
        record.setClockReference(reference);
        return record;
    }

    /**
     * A streams-app snapshot as its publisher builds it: {@code recordsIn} read, all enriched, 90%
     * aligned, {@code correlated} packets (2 sightings each, 1 single-host one missed per 100 matched),
     * {@code transactions} HTTP transactions of which one in ten one-sided.
     */
    static StreamsStats streamsStats(String app, String instance, long timeNs, long recordsIn, long correlated,
            long transactions) {
        long matched = 2 * correlated;
        long missed = matched / 100;
        long oneSided = transactions / 10;
        return StreamsStats.newBuilder()
                .setApplicationId(app).setInstanceId(instance).setStartedAtNs(T0_NS).setTimeNs(timeNs)
                .setIntervalMs(2_000).setState("RUNNING")
                .setRecords(StreamsRecordCounts.newBuilder().setRecordsIn(recordsIn).setRecordsOut(recordsIn)
                        .setFilteredOut(0).setSampledOut(0).setDeadLetters(3).setUndecodable(1).setNullValues(0)
                        .setAligned(recordsIn * 9 / 10).setAlignedShare(recordsIn == 0 ? null : 0.9).build())
                .setClock(StreamsClockCounts.newBuilder().setObservations(40).setSamples(10).setExpired(0).setEvicted(0)
                        .setUnmatched(0).setAmbiguous(0).setInconsistent(0).setInFlight(2).build())
                .setCorrelation(StreamsCorrelationCounts.newBuilder().setObservations(matched + missed)
                        .setPacketsCorrelated(correlated).setObservationsMatched(matched).setPacketsSingleHost(missed)
                        .setObservationsSingleHostInSharedFlow(missed).setPacketsAmbiguous(0).setLate(4).setPacketsEvicted(1)
                        .setOpenPackets(7).setMatchRate(matched == 0 ? null : (double) matched / (matched + missed)).build())
                .setHttp(StreamsHttpCounts.newBuilder().setRequests(2 * transactions).setResponses(2 * transactions)
                        .setTransactions(transactions).setJoined(transactions - oneSided).setJoinedByTraceparent(0)
                        .setClientOnly(oneSided).setServerOnly(0).setUnansweredViews(0).setOrphanResponses(0)
                        .setLateRecords(0).setLateViews(2).setEvictedRequests(0).setEvictedViews(0).setEvictedConnections(0)
                        .setMatchRate(transactions == 0 ? null : (double) (transactions - oneSided) / transactions).build())
                .build();
    }
}
