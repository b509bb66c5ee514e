package io.headerlog.collector.l7;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.collector.l7.HttpParse.Kind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpParserTest {
    static final String CURL_GET = "GET /index.html?q=1 HTTP/1.1\r\n"
            + "Host: 198.18.0.2:8080\r\n"
            + "User-Agent: curl/7.88.1\r\n"
            + "Accept: */*\r\n"
            + "\r\n";
    static final String NGINX_200_HEAD = "HTTP/1.1 200 OK\r\n"
            + "Server: nginx/1.22.1\r\n"
            + "Date: Sat, 28 Nov 2026 10:31:47 GMT\r\n"
            + "Content-Type: text/html\r\n"
            + "Content-Length: 615\r\n"
            + "Last-Modified: Mon, 23 Jan 2023 13:38:09 GMT\r\n"
            + "Connection: keep-alive\r\n"
            + "ETag: \"63ce8a61-267\"\r\n"
            + "Accept-Ranges: bytes\r\n"
            + "\r\n";
    private static final int MAX = 8192;

    static HttpParse parse(String s) {
        return parse(s, MAX);
    }

    static HttpParse parse(String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return HttpParser.parse(ByteBuffer.wrap(b), 0, b.length, max);
    }

    @Test
    void shouldParseACurlGetWithItsHeadersInOrder() {
        HttpParse p = parse(CURL_GET);

        assertThat(p.kind()).isEqualTo(Kind.COMPLETE);
        assertThat(p.isRequest()).isTrue();
        assertThat(p.method()).isEqualTo("GET");
        assertThat(p.target()).isEqualTo("/index.html?q=1");
        assertThat(p.version()).isEqualTo("HTTP/1.1");
        assertThat(p.statusCode()).isNull();
        assertThat(p.reason()).isNull();
        assertThat(p.headers()).containsExactly(
                new RawHeader("Host", "198.18.0.2:8080"),
                new RawHeader("User-Agent", "curl/7.88.1"),
                new RawHeader("Accept", "*/*"));
        assertThat(p.headerBytes()).isEqualTo(CURL_GET.length());
        assertThat(p.bodyOffset()).isEqualTo(CURL_GET.length());
        assertThat(p.truncated()).isFalse();
        assertThat(p.contentLength()).isNull();
        assertThat(p.bodyLength()).isZero();
        assertThat(p.nextMessageOffset()).isEqualTo(CURL_GET.length());
    }

    @Test
    void shouldParseAnNginxResponseAndFindWhereItsBodyStarts() {
        String msg = NGINX_200_HEAD + "<!DOCTYPE html>\n<html>";
        HttpParse p = parse(msg);

        assertThat(p.kind()).isEqualTo(Kind.COMPLETE);
        assertThat(p.isRequest()).isFalse();
        assertThat(p.version()).isEqualTo("HTTP/1.1");
        assertThat(p.statusCode()).isEqualTo(200);
        assertThat(p.reason()).isEqualTo("OK");
        assertThat(p.headers()).extracting(RawHeader::name).containsExactly(
                "Server", "Date", "Content-Type", "Content-Length", "Last-Modified", "Connection", "ETag", "Accept-Ranges");
        assertThat(p.header("etag")).isEqualTo("\"63ce8a61-267\"");
        assertThat(p.contentLength()).isEqualTo(615L);
        assertThat(p.headerBytes()).isEqualTo(NGINX_200_HEAD.length());
        assertThat(p.bodyLength()).isEqualTo(615);
    }

    @Test
    void shouldFindAPipelinedRequestAfterAPostBody() {
        String post = "POST /api/items HTTP/1.1\r\nHost: b\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n";
        String msg = post + "{\"id\":\"x-1\"}\n" + CURL_GET;
        byte[] b = msg.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer buf = ByteBuffer.wrap(b);

        HttpParse first = HttpParser.parse(buf, 0, b.length, MAX);
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.header("content-type")).isEqualTo("application/json");
        assertThat(first.nextMessageOffset()).isEqualTo(post.length() + 13);

        int next = (int) first.nextMessageOffset();
        HttpParse second = HttpParser.parse(buf, next, b.length - next, MAX);
        assertThat(second.kind()).isEqualTo(Kind.COMPLETE);
        assertThat(second.method()).isEqualTo("GET");
        assertThat(second.bodyOffset()).isEqualTo(b.length);
    }

    @Test
    void shouldAcceptBareLfAndMixedLineEnds() {
        HttpParse lf = parse("GET / HTTP/1.0\nHost: a\nAccept: */*\n\nbody");
        assertThat(lf.kind()).isEqualTo(Kind.COMPLETE);
        assertThat(lf.version()).isEqualTo("HTTP/1.0");
        assertThat(lf.headers()).containsExactly(new RawHeader("Host", "a"), new RawHeader("Accept", "*/*"));
        assertThat(lf.headerBytes()).isEqualTo("GET / HTTP/1.0\nHost: a\nAccept: */*\n\n".length());

        HttpParse mixed = parse("HTTP/1.1 204 No Content\r\nX-A: 1\n\r\n");
        assertThat(mixed.kind()).isEqualTo(Kind.COMPLETE);
        assertThat(mixed.headers()).containsExactly(new RawHeader("X-A", "1"));
        assertThat(mixed.bodyLength()).isZero();
    }

    @Test
    void shouldReportIncompleteWhenTheBlockEndsInALaterSegment() {
        HttpParse p = parse("GET /a HTTP/1.1\r\nHost: a\r\nUser-Agent: cu");

        assertThat(p.kind()).isEqualTo(Kind.INCOMPLETE);
        assertThat(p.method()).isEqualTo("GET");
        assertThat(p.headers()).containsExactly(new RawHeader("Host", "a"));
        assertThat(p.truncated()).isTrue();
        assertThat(p.headerBytes()).isZero();
        assertThat(p.bodyOffset()).isEqualTo(-1);
        assertThat(p.bodyLength()).isEqualTo(-1);
    }

    @Test
    void shouldRecogniseAStartLineCutByASegmentBoundary() {
        HttpParse target = parse("GET /very/long/pa");
        assertThat(target.kind()).isEqualTo(Kind.INCOMPLETE);
        assertThat(target.method()).isEqualTo("GET");
        assertThat(target.target()).isEqualTo("/very/long/pa");
        assertThat(target.version()).isNull();
        assertThat(target.startLineComplete()).isFalse();

        assertThat(parse("GET / HTTP/1.1\r").kind()).isEqualTo(Kind.INCOMPLETE);
        assertThat(parse("GET / HT").kind()).isEqualTo(Kind.INCOMPLETE);
        assertThat(parse("HTTP/1.1 20").kind()).isEqualTo(Kind.INCOMPLETE);
        assertThat(parse("HTTP/1.1 200 Partial reas").kind()).isEqualTo(Kind.INCOMPLETE);
        assertThat(parse("GET / HTTP/2").kind()).isEqualTo(Kind.NOT_HTTP);
        assertThat(parse("HTTP/1.1 0").kind()).isEqualTo(Kind.NOT_HTTP);
    }

    @Test
    void shouldLogAFourKilobyteHeaderBlockWhole() {
        StringBuilder sb = new StringBuilder("GET /big HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; sb.length() < 4096; i++) {
            sb.append("X-Filler-").append(i).append(": ").append("v".repeat(100)).append("\r\n");
        }
        String msg = sb.append("\r\n").toString();

        HttpParse p = parse(msg, MAX);

        assertThat(msg.length()).isGreaterThan(4096);
        assertThat(p.kind()).isEqualTo(Kind.COMPLETE);
        assertThat(p.headerBytes()).isEqualTo(msg.length());
        assertThat(p.headers()).hasSize(1 + (int) msg.lines().filter(l -> l.startsWith("X-Filler-")).count());
        assertThat(p.truncated()).isFalse();
    }

    @Test
    void shouldReportTooLongWithTheHeadersThatFitTheLimit() {
        StringBuilder sb = new StringBuilder("GET /big HTTP/1.1\r\n");
        for (int i = 0; i < 40; i++) {
            sb.append("X-H").append(i).append(": ").append("v".repeat(50)).append("\r\n");
        }
        String msg = sb.append("\r\n").toString();

        HttpParse p = parse(msg, 1024);

        assertThat(p.kind()).isEqualTo(Kind.TOO_LONG);
        assertThat(p.truncated()).isTrue();
        // "X-Hn: " + 50 + CRLF = 58..59 bytes per line after a 19-byte start line
        assertThat(p.headers()).hasSizeBetween(15, 17);
        assertThat(p.headers().get(0)).isEqualTo(new RawHeader("X-H0", "v".repeat(50)));
    }

    @Test
    void shouldStopAtAnObsFoldButStillFindTheEndOfTheBlock() {
        String msg = "GET / HTTP/1.1\r\nX-A: 1\r\n  folded\r\nX-B: 2\r\n\r\nnext";
        HttpParse p = parse(msg);

        assertThat(p.kind()).isEqualTo(Kind.COMPLETE);
        assertThat(p.headers()).containsExactly(new RawHeader("X-A", "1"));
        assertThat(p.truncated()).isTrue();
        assertThat(p.headerBytes()).isEqualTo(msg.length() - "next".length());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "X-B : 2", // whitespace before the colon (RFC 9112 5.1: reject)
        "X-B 2", // no colon
        ": 2", // empty name
        "X(B): 2", // not a token
        "X-B: a\u0000b", // NUL
        "X-B: a\rb", // bare CR
        "X-B: a\u007fb", // DEL
    })
    void shouldStopTheHeaderListAtAMalformedLine(String line) {
        HttpParse p = parse("GET / HTTP/1.1\r\nX-A: 1\r\n" + line + "\r\nX-C: 3\r\n\r\n");

        assertThat(p.kind()).isEqualTo(Kind.COMPLETE);
        assertThat(p.headers()).containsExactly(new RawHeader("X-A", "1"));
        assertThat(p.truncated()).isTrue();
    }

    @Test
    void shouldTrimOptionalWhitespaceAndKeepOddBytesAsLatin1() {
        HttpParse p = parse("GET / HTTP/1.1\r\nX-Empty:\r\nX-Tabs:\t a  b \t\r\nX-Latin: caf\u00e9\r\n\r\n");

        assertThat(p.headers()).containsExactly(
                new RawHeader("X-Empty", ""),
                new RawHeader("X-Tabs", "a  b"),
                new RawHeader("X-Latin", "caf\u00e9"));
        assertThat(p.truncated()).isFalse();
    }

    @Test
    void shouldReadContentLengthOnlyWhenItIsUnambiguous() {
        assertThat(parse("POST / HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\n").contentLength()).isEqualTo(5L);
        assertThat(parse("POST / HTTP/1.1\r\ncontent-length: 7\r\nContent-Length: 7\r\n\r\n").contentLength()).isEqualTo(7L);
        assertThat(parse("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n").contentLength()).isNull();
        assertThat(parse("POST / HTTP/1.1\r\nContent-Length: 5, 6\r\n\r\n").contentLength()).isNull();
        assertThat(parse("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n").contentLength()).isNull();
        assertThat(parse("POST / HTTP/1.1\r\nContent-Length: 1e3\r\n\r\n").contentLength()).isNull();
        assertThat(parse("POST / HTTP/1.1\r\nContent-Length: 1234567890123456789\r\n\r\n").contentLength()).isNull();
        HttpParse invalid = parse("POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n");
        assertThat(invalid.bodyLength()).isZero(); // a request without a valid length has no body (RFC 9112 6.3 item 7)
    }

    @Test
    void shouldLetChunkedTransferEncodingOverrideContentLength() {
        HttpParse p = parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n");

        assertThat(p.chunked()).isTrue();
        assertThat(p.transferEncoded()).isTrue();
        assertThat(p.contentLength()).isEqualTo(10L);
        assertThat(p.bodyLength()).isEqualTo(-1);
        assertThat(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n").chunked()).isFalse();
    }

    @Test
    void shouldKnowWhichResponsesHaveNoBody() {
        assertThat(parse("HTTP/1.1 100 Continue\r\n\r\n").bodyLength()).isZero();
        assertThat(parse("HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n").bodyLength()).isZero();
        assertThat(parse("HTTP/1.0 200 OK\r\nServer: x\r\n\r\n").bodyLength()).isEqualTo(-1);
        assertThat(parse("HTTP/1.0 200 OK\r\nServer: x\r\n\r\n").nextMessageOffset()).isEqualTo(-1);
    }

    @Test
    void shouldAcceptAStatusLineWithoutAReasonPhrase() {
        HttpParse p = parse("HTTP/1.1 200\r\n\r\n");
        assertThat(p.statusCode()).isEqualTo(200);
        assertThat(p.reason()).isEmpty();
        assertThat(parse("HTTP/1.1 599 \r\n\r\n").reason()).isEmpty();
        assertThat(parse("HTTP/1.1 404 Not\tFound\r\n\r\n").reason()).isEqualTo("Not\tFound");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "GE",
        "get / HTTP/1.1\r\n\r\n", // methods are case-sensitive
        "GETX / HTTP/1.1\r\n\r\n",
        "BREW /pot HTTP/1.1\r\n\r\n",
        "GET  / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.2\r\n\r\n",
        "GET / HTTP/2.0\r\n\r\n",
        "GET /a\u0001b HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1 \r\n\r\n",
        "GET /\r\n\r\n", // HTTP/0.9
        "HTTP/1.1 099 Odd\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 20x OK\r\n\r\n",
        "HTTP/1.1 200 O\u0000K\r\n\r\n",
        "HTTP/1.1200 OK\r\n\r\n",
        "\r\nGET / HTTP/1.1\r\n\r\n",
        "{\"json\": \"body segment\"}\n",
        "HTTP/1.",
    })
    void shouldNotTakeOtherBytesForHttp(String s) {
        assertThat(parse(s).kind()).isEqualTo(Kind.NOT_HTTP);
    }

    @Test
    void shouldRecogniseEveryStandardMethod() {
        for (String m : HttpParser.METHODS) {
            HttpParse p = parse(m + " * HTTP/1.1\r\n\r\n");
            assertThat(p.method()).isEqualTo(m);
            assertThat(p.target()).isEqualTo("*");
        }
    }

    @Test
    void shouldListAtMostMaxHeadersAndCountTheRest() {
        StringBuilder sb = new StringBuilder("GET / HTTP/1.1\r\n");
        for (int i = 0; i < 300; i++) {
            sb.append("X-").append(i).append(": ").append(i).append("\r\n");
        }
        sb.append("Content-Length: 0\r\n\r\n");

        HttpParse p = parse(sb.toString(), 64 * 1024);

        assertThat(p.headers()).hasSize(HttpParser.MAX_HEADERS);
        assertThat(p.headersOmitted()).isEqualTo(301 - HttpParser.MAX_HEADERS);
        assertThat(p.contentLength()).isZero(); // framing headers count even past the cap
        assertThat(p.truncated()).isFalse();
    }

    @Test
    void shouldCutValuesLongerThanTheParseLimit() {
        String v = "a".repeat(HttpParser.MAX_VALUE_CHARS + 100);
        HttpParse p = parse("GET / HTTP/1.1\r\nX-Long: " + v + "\r\n\r\n", 64 * 1024);

        assertThat(p.headers().get(0).value()).hasSize(HttpParser.MAX_VALUE_CHARS);
        assertThat(p.valuesCut()).isEqualTo(1);
    }

    @Test
    void shouldGiveTheSameResultAtAnOffsetInADirectLittleEndianBuffer() {
        byte[] msg = CURL_GET.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer direct = ByteBuffer.allocateDirect(msg.length + 20).order(ByteOrder.LITTLE_ENDIAN);
        direct.put(7, msg);

        HttpParse p = HttpParser.parse(direct, 7, msg.length, MAX);

        HttpParse expected = parse(CURL_GET);
        assertThat(p.headers()).isEqualTo(expected.headers());
        assertThat(p.target()).isEqualTo(expected.target());
        assertThat(p.headerBytes()).isEqualTo(expected.headerBytes());
        assertThat(p.bodyOffset()).isEqualTo(7 + expected.headerBytes());
        assertThat(direct.position()).isZero();
    }

    @Test
    void shouldNeverReadPastTheBufferOrAcceptNonsenseArguments() {
        byte[] msg = CURL_GET.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.wrap(msg);

        assertThat(HttpParser.parse(b, 0, msg.length + 1000, MAX).kind()).isEqualTo(Kind.COMPLETE);
        assertThat(HttpParser.parse(b.limit(20), 0, msg.length, MAX).kind()).isEqualTo(Kind.INCOMPLETE);
        assertThat(HttpParser.parse(null, 0, 10, MAX).kind()).isEqualTo(Kind.NOT_HTTP);
        assertThat(HttpParser.parse(b, -1, 10, MAX).kind()).isEqualTo(Kind.NOT_HTTP);
        assertThat(HttpParser.parse(b, 100, 10, MAX).kind()).isEqualTo(Kind.NOT_HTTP);
        assertThat(HttpParser.parse(b, 0, -5, MAX).kind()).isEqualTo(Kind.NOT_HTTP);
        assertThat(HttpParser.parse(b, 0, 10, 0).kind()).isEqualTo(Kind.NOT_HTTP);
    }

    @Test
    void shouldKeepSecretsOutOfToString() {
        HttpParse p = parse("GET /?token=s3cr3t-query HTTP/1.1\r\nAuthorization: Bearer s3cr3t-value\r\n\r\n");

        assertThat(p.header("authorization")).isEqualTo("Bearer s3cr3t-value");
        assertThat(p.toString()).doesNotContain("s3cr3t").contains("GET");
        assertThat(p.headers().get(0).toString()).doesNotContain("s3cr3t").contains("Authorization");
    }
}
