package io.headerlog.it.l7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.headerlog.collector.cli.CollectorProcess;
import io.headerlog.it.l7.Curl.Transfer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * HTTP/1.1 between curl and nginx in two test hosts, logged by the real collector on the server's
 * veth end (JSON lines) while tshark captures the same interface: every message headerlog logs is
 * compared with tshark's dissection field by field, and the cases that need reassembly,
 * keep-alive and pipelining are checked one by one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpIT {
    private L7Lab lab;
    private HttpTraffic.Sent sent;
    private List<JsonNode> records;
    private List<HttpFrame> oracle;
    private List<HttpFrame> logged;

    @BeforeAll
    void captureRealHttpTraffic() throws Exception {
        lab = L7Lab.create("http");
        lab.startNginx(Optional.empty());
        // the collector JVM starts while tshark does
        CollectorProcess collector = lab.launchCollector(lab.server(), "http-it-server", List.of("--sink", "stdout"));
        TsharkCapture tshark = lab.startTshark();
        collector.awaitCapturing(L7Lab.STARTUP);
        sent = HttpTraffic.run(lab.client(), lab.server());
        tshark.stop();   // returns once every packet sent so far has crossed the interface
        records = HeaderlogViews.parseLines(L7Lab.stop(collector));
        oracle = TsharkViews.http(tshark, List.of(NginxServer.HTTP_PORT, NginxServer.HTTP_ALT_PORT));
        logged = HeaderlogViews.http(records);
    }

    @AfterAll
    void cleanUp() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void shouldLogEveryHttpMessageWithTheFieldsTsharkDissects() {
        // 9 curl transfers and 2 pipelined requests, each with its response
        assertThat(oracle.stream().mapToInt(f -> f.startLines().size()).sum()).isEqualTo(2 * (sent.all().size() + 2));
        Mismatches m = Compare.http(oracle, logged, L7Lab.L7_SNAPLEN, SecretHeaders.DEFAULT);
        m.assertNone();
        assertThat(m.checks()).as("field comparisons").isGreaterThan(500);
    }

    @Test
    void shouldLogEachRequestOfAKeepAliveConnectionAsItsOwnRecord() {
        List<Transfer> keepAlive = sent.keepAlive();
        assertThat(keepAlive).extracting(Transfer::newConnections).as("curl reused the connection").containsExactly(1, 0, 0);
        int port = keepAlive.get(0).localPort();
        assertThat(httpRecords(r -> r.path("tcp").path("srcPort").asInt() == port))
                .extracting(r -> r.path("http").path("target").asText())
                .containsExactly("/", "/missing", keepAlive.get(2).request().url().replaceFirst("^http://[^/]+", ""));
        assertThat(httpRecords(r -> r.path("tcp").path("dstPort").asInt() == port))
                .extracting(r -> r.path("http").path("statusCode").asInt(), r -> r.path("http").path("reason").asText())
                .containsExactly(tuple(200, "OK"),
                        tuple(404, "Not Found"),
                        tuple(200, "OK"));
    }

    @Test
    void shouldReassembleAHeaderBlockThatArrivesInSeveralSegments() {
        JsonNode r = request("/large-segmented");
        HttpFrame tshark = oracleRequest(sent.largeHeaderSegmented());
        assertThat(tshark.segments()).as("tshark: segments of the header block").isGreaterThanOrEqualTo(3);
        JsonNode http = r.path("http");
        assertThat(http.path("segments").asInt()).isEqualTo(tshark.segments());
        assertThat(http.path("truncated").asBoolean()).isFalse();
        assertThat(http.path("headerBytes").asInt()).isEqualTo(tshark.headerBytes()).isGreaterThan(L7Lab.L7_SNAPLEN);
        assertAllFillerHeaders(http, tshark, HttpTraffic.FILLER_COUNT);
        // the message sits on the record of the packet where it began: that packet held only part of it
        assertThat(r.path("payloadLength").asInt()).as("payload of the first segment")
                .isPositive().isLessThan(tshark.headerBytes());
        assertThat(r.path("gsoSegs").asInt()).as("a plain wire packet").isEqualTo(1);
        assertThat(http.path("startMonoTimeNs").isNull()).as("startMonoTimeNs: the message began in this packet").isTrue();
    }

    @Test
    void shouldLogAHeaderBlockOfOneGsoPacketWhole() {
        JsonNode r = request("/large-gso");
        HttpFrame tshark = oracleRequest(sent.largeHeaderGso());
        assertThat(r.path("gsoSegs").asInt()).as("one skb for several wire segments").isGreaterThan(1);
        assertThat(r.path("http").path("truncated").asBoolean()).isFalse();
        assertThat(r.path("http").path("headerBytes").asInt()).isEqualTo(tshark.headerBytes())
                .isGreaterThan(HttpTraffic.GSO_FILLER_COUNT * HttpTraffic.FILLER_LINE_BYTES);
        assertAllFillerHeaders(r.path("http"), tshark, HttpTraffic.GSO_FILLER_COUNT);
    }

    @Test
    void shouldMarkAHeaderBlockLargerThanTheCaptureTruncatedAndKeepTheHeadersBeforeTheCut() {
        JsonNode r = request("/huge-gso");
        HttpFrame tshark = oracleRequest(sent.hugeHeaderGso());
        assertThat(tshark.headerBytes()).isGreaterThan(8192);
        assertThat(tshark.largestPacketBytes()).as("a GSO packet larger than the capture limit").isGreaterThan(L7Lab.L7_SNAPLEN);
        int port = sent.hugeHeaderGso().localPort();
        assertThat(records.stream().anyMatch(p -> p.path("tcp").path("srcPort").asInt() == port
                && p.path("parseFlags").toString().contains("SNAP_CUT"))).as("a packet of the block cut by the snap length").isTrue();
        JsonNode http = r.path("http");
        assertThat(http.path("truncated").asBoolean()).isTrue();
        int seenBytes = http.path("headerBytes").asInt();
        assertThat(seenBytes).as("bytes of the block headerlog had").isBetween(L7Lab.L7_SNAPLEN, tshark.headerBytes() - 1);
        List<String> headers = new ArrayList<>();
        http.path("headers").forEach(h -> headers.add(h.path("name").asText() + ": " + h.path("value").asText()));
        // exactly the lines that end within the bytes it had (curl writes "Name: value" CRLF): none cut, none invented
        List<String> complete = new ArrayList<>();
        int bytes = tshark.startLines().get(0).text().length() + 2;
        for (HttpFrame.Header h : tshark.headers()) {
            bytes += h.name().length() + 2 + h.value().length() + 2;
            if (bytes > seenBytes) {
                break;
            }
            complete.add(h.name() + ": " + h.value());
        }
        assertThat(headers).hasSizeGreaterThan(30).isEqualTo(complete);
        assertThat(http.path("host").asText()).isEqualTo(tshark.hosts().get(0));
        assertThat(http.path("userAgent").asText()).isEqualTo(tshark.userAgents().get(0));
        assertThat(logged.stream().filter(HttpFrame::truncated)).as("only this block is truncated").hasSize(1);
    }

    @Test
    void shouldLogAPostWithItsContentTypeAndLength() {
        JsonNode post = request("/post").path("http");
        assertThat(post.path("method").asText()).isEqualTo("POST");
        assertThat(post.path("contentType").asText()).isEqualTo("application/json");
        assertThat(post.path("contentLength").asLong()).isEqualTo(sent.postBody().length());
        JsonNode answer = httpRecords(r -> r.path("tcp").path("dstPort").asInt() == sent.post().localPort()).get(0).path("http");
        assertThat(answer.path("statusCode").asInt()).isEqualTo(201);
        assertThat(answer.path("reason").asText()).isEqualTo("Created");
        assertThat(answer.path("contentType").asText()).isEqualTo("application/json");
    }

    @Test
    void shouldFillTraceContextAndRequestIdFromTheirHeaders() {
        JsonNode http = request("/").path("http");
        String[] parts = sent.traceparent().split("-");
        JsonNode tc = http.path("traceparent");
        assertThat(tc.path("version").asInt()).isZero();
        assertThat(tc.path("traceId").asText()).isEqualTo(parts[1]);
        assertThat(tc.path("parentId").asText()).isEqualTo(parts[2]);
        assertThat(tc.path("flags").asInt()).isEqualTo(1);
        assertThat(http.path("requestId").asText()).isEqualTo(sent.requestId());
        assertThat(request("/missing").path("http").path("traceparent").isNull()).isTrue();
        assertThat(httpRecords(r -> true)).extracting(r -> r.path("http").path("headersDropped").asInt()).containsOnly(0);
    }

    @Test
    void shouldRecogniseHttpByContentOnAnyPortAndOverIpv6() {
        JsonNode odd = request("/odd-port");
        assertThat(odd.path("tcp").path("dstPort").asInt()).isEqualTo(NginxServer.HTTP_ALT_PORT);
        assertThat(httpRecords(r -> r.path("tcp").path("srcPort").asInt() == NginxServer.HTTP_ALT_PORT))
                .extracting(r -> r.path("http").path("statusCode").asInt()).containsExactly(200);
        JsonNode v6 = request("/over-ipv6");
        assertThat(v6.path("ip").path("version").asInt()).isEqualTo(6);
        assertThat(v6.path("http").path("host").asText()).isEqualTo(oracleRequest(sent.ipv6()).hosts().get(0))
                .startsWith("[");
    }

    @Test
    void shouldLogEachPipelinedRequestOfOnePacketAsItsOwnRecord() {
        List<JsonNode> pipelined = httpRecords(r -> r.path("tcp").path("srcPort").asInt() == sent.pipelinedPort()).stream()
                .sorted(Comparator.comparingInt(r -> r.path("appMessageIndex").asInt())).toList();
        assertThat(pipelined).extracting(r -> r.path("http").path("target").asText()).as("records of the pipelined requests")
                .hasSize(2);
        assertThat(pipelined.get(0).path("http").path("target").asText()).isEqualTo("/pipelined-1");
        assertThat(pipelined.get(1).path("http").path("target").asText()).startsWith("/pipelined-2?x=");
        assertThat(pipelined).extracting(r -> r.path("appMessageIndex").asInt()).containsExactly(0, 1);
        assertThat(pipelined.get(1).path("monoTimeNs").asLong()).as("same packet").isEqualTo(pipelined.get(0).path("monoTimeNs").asLong());
        assertThat(pipelined.get(1).path("tcp").path("seq").asLong()).isEqualTo(pipelined.get(0).path("tcp").path("seq").asLong());
    }

    private void assertAllFillerHeaders(JsonNode http, HttpFrame tshark, int count) {
        List<String> expected = new ArrayList<>();
        tshark.headers().stream().filter(h -> h.name().startsWith(HttpTraffic.FILLER_PREFIX))
                .forEach(h -> expected.add(h.name() + ": " + h.value()));
        assertThat(expected).hasSize(count);
        List<String> logged = new ArrayList<>();
        http.path("headers").forEach(h -> {
            if (h.path("name").asText().startsWith(HttpTraffic.FILLER_PREFIX)) {
                logged.add(h.path("name").asText() + ": " + h.path("value").asText());
            }
        });
        assertThat(logged).containsExactlyElementsOf(expected);
    }

    private List<JsonNode> httpRecords(Predicate<JsonNode> p) {
        return HeaderlogViews.withField(records, "http").stream().filter(p).toList();
    }

    private JsonNode request(String target) {
        List<JsonNode> found = httpRecords(r -> target.equals(HeaderlogViews.text(r.path("http"), "target")));
        assertThat(found).as("headerlog records of the request for " + target).hasSize(1);
        return found.get(0);
    }

    private HttpFrame oracleRequest(Transfer t) {
        String stream = t.localPort() + ">" + NginxServer.HTTP_PORT;
        return oracle.stream().filter(f -> f.stream().equals(stream) && f.isRequest()).findFirst()
                .orElseThrow(() -> new AssertionError("tshark saw no request on " + stream));
    }
}
