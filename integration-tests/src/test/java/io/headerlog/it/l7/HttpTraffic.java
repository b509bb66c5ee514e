package io.headerlog.it.l7;

import io.headerlog.it.l7.Curl.Request;
import io.headerlog.it.l7.Curl.Transfer;
import io.headerlog.testing.Host;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The HTTP/1.1 traffic of the tests, from a real client (curl; raw socket for pipelining, which
 * curl no longer does) in one host to {@link NginxServer} in the other. Every value that could be
 * confused with another run's is random.
 */
final class HttpTraffic {
    static final String FILLER_PREFIX = "X-Hl-Fill-";
    /**
     * Header lines of exactly 100 bytes with CRLF: 42 of them make a block of ~4.3 KB, in 3 wire
     * segments — more than the kernel copies from any one packet (4096), so only reassembly can log
     * it whole.
     */
    static final int FILLER_COUNT = 42;
    static final int FILLER_LINE_BYTES = 100;
    /**
     * For the block sent as one GSO packet: ~3.9 KB, so it stays within the 4096 bytes the kernel
     * copies from one packet whatever curl's own headers add.
     */
    static final int GSO_FILLER_COUNT = 38;
    /** ~10 KB of header lines: more than the kernel copies from one packet (--l7-snaplen, at most 8192). */
    static final int HUGE_FILLER_COUNT = 100;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** What was sent, to find the connections again in both views. */
    record Sent(List<Transfer> keepAlive, Transfer largeHeaderGso, Transfer largeHeaderSegmented,
                Transfer hugeHeaderGso, Transfer post, Transfer ipv6, Transfer altPort, int pipelinedPort,
                String traceparent, String requestId, String postBody) {
        List<Transfer> all() {
            List<Transfer> all = new ArrayList<>(keepAlive);
            all.addAll(List.of(largeHeaderGso, largeHeaderSegmented, hugeHeaderGso, post, ipv6, altPort));
            return all;
        }
    }

    private HttpTraffic() {
    }

    static Sent run(Host client, Host server) throws Exception {
        InetAddress v4 = server.ipv4();
        String traceparent = "00-" + hex(16) + "-" + hex(8) + "-01";
        String requestId = "req-" + hex(8);
        List<Transfer> keepAlive = Curl.session(client, List.of(
                Request.get(Curl.url("http", v4, NginxServer.HTTP_PORT, "/"),
                        "-H", "traceparent: " + traceparent, "-H", "X-Request-ID: " + requestId),
                Request.get(Curl.url("http", v4, NginxServer.HTTP_PORT, "/missing")),
                Request.get(Curl.url("http", v4, NginxServer.HTTP_PORT, "/search?q=" + hex(4) + "&page=2"),
                        "-H", "Accept: text/plain")));
        Transfer gso = one(Curl.session(client, List.of(largeHeaderRequest(v4, "/large-gso", GSO_FILLER_COUNT))));
        Transfer huge = one(Curl.session(client, List.of(largeHeaderRequest(v4, "/huge-gso", HUGE_FILLER_COUNT))));
        Transfer segmented;
        try (Segmentation s = Segmentation.oneWirePacketPerSkb(client)) {
            segmented = one(Curl.session(client, List.of(largeHeaderRequest(v4, "/large-segmented", FILLER_COUNT))));
        }
        String body = "{\"order\":\"" + hex(6) + "\",\"items\":[1,2,3]}";
        Transfer post = one(Curl.session(client, List.of(Request.get(Curl.url("http", v4, NginxServer.HTTP_PORT, "/post"),
                "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", body))));
        Transfer ipv6 = one(Curl.session(client, List.of(
                Request.get(Curl.url("http", server.ipv6(), NginxServer.HTTP_PORT, "/over-ipv6")))));
        Transfer alt = one(Curl.session(client, List.of(
                Request.get(Curl.url("http", v4, NginxServer.HTTP_ALT_PORT, "/odd-port")))));
        int pipelined = pipelined(client, v4);
        return new Sent(keepAlive, gso, segmented, huge, post, ipv6, alt, pipelined, traceparent, requestId, body);
    }

    static Request largeHeaderRequest(InetAddress server, String path, int headers) {
        List<String> options = new ArrayList<>();
        for (int i = 1; i <= headers; i++) {
            String name = FILLER_PREFIX + String.format("%03d", i);
            // name + ": " + value + CRLF
            int valueLength = FILLER_LINE_BYTES - name.length() - 4;
            options.add("-H");
            options.add(name + ": " + alnum(valueLength));
        }
        return new Request(Curl.url("http", server, NginxServer.HTTP_PORT, path), options);
    }

    /**
     * Two requests in ONE write on one connection (HTTP/1.1 pipelining): they arrive in one TCP
     * segment, so headerlog must emit one record per request for the same packet.
     */
    static int pipelined(Host client, InetAddress server) throws Exception {
        String host = server.getHostAddress() + ":" + NginxServer.HTTP_PORT;
        String requests = "GET /pipelined-1 HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: hl-pipeline/1\r\n\r\n"
                + "GET /pipelined-2?x=" + hex(3) + " HTTP/1.1\r\nHost: " + host
                + "\r\nUser-Agent: hl-pipeline/1\r\nConnection: close\r\n\r\n";
        // bound inside the client's namespace: the socket (and its connection) belongs to it
        try (Socket s = client.call(() -> {
            Socket sock = new Socket();
            sock.bind(new InetSocketAddress(client.ipv4(), 0));
            return sock;
        })) {
            s.connect(new InetSocketAddress(server, NginxServer.HTTP_PORT), 5_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(requests.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int answers = answer.split("HTTP/1.1 200 ", -1).length - 1;
            if (answers != 2) {
                throw new AssertionError("nginx answered " + answers + " of 2 pipelined requests");
            }
            return s.getLocalPort();
        }
    }

    private static Transfer one(List<Transfer> transfers) {
        return transfers.get(0);
    }

    static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static String alnum(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(ALNUM.charAt(RANDOM.nextInt(ALNUM.length())));
        }
        return sb.toString();
    }
}
