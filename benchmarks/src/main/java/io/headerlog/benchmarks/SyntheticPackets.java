package io.headerlog.benchmarks;

import static io.headerlog.collector.bpf.EventLayout.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The packets the decode benchmark measures, and ring records ({@code struct hl_event} + payload
 * prefix, laid out by {@link io.headerlog.collector.bpf.EventLayout}) that carry them, in direct
 * native-order buffers as the mmapped ring hands them to the decoder.
 *
 * <p>The DNS response and the ClientHello are real payloads captured on a namespace's loopback:
 * dnsmasq 2.90 answering dig 9.18 (a CNAME and an A record, compressed names, EDNS) and curl
 * 7.88.1 / OpenSSL 3.0 opening https://test.example:8443/ (517 bytes: SNI, ALPN h2,http/1.1, four
 * supported versions, 31 cipher suites, padding).
 */
final class SyntheticPackets {
    /** A browser-like request: 10 headers, a traceparent, 520 bytes. */
    static final byte[] HTTP_REQUEST = ("GET /api/v1/orders/8812?expand=items HTTP/1.1\r\n"
            + "Host: shop.example:8080\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: application/json, text/plain, */*\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\n"
            + "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.c2lnbmF0dXJl\r\n"
            + "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n"
            + "X-Request-ID: 9b2f6c1e-5d2a-4f7b-8e21-3c4d5e6f7a8b\r\n"
            + "Cookie: session=3f9a1c; theme=dark\r\n"
            + "Connection: keep-alive\r\n"
            + "\r\n").getBytes(StandardCharsets.ISO_8859_1);

    static final byte[] DNS_RESPONSE = HexFormat.of().parseHex(
            "57a28580000100020000000105616c696173076578616d706c6504746573740000010001c00c000500010000000000120377" +
            "7777076578616d706c65047465737400c03000010001000000000004c612000a00002904d0000000000000");

    static final byte[] TLS_CLIENT_HELLO = HexFormat.of().parseHex(
            "1603010200010001fc0303e4d34b3099efb6ede59d77af55cd470f969d01abbac136295b851f3f40135f33207005aac8b1c4" +
            "f5c267991fb1b6a91cdd4fbd8c7cd606c2ae1908b049eeaf5151003e130213031301c02cc030009fcca9cca8ccaac02bc02f" +
            "009ec024c028006bc023c0270067c00ac0140039c009c0130033009d009c003d003c0035002f00ff0100017500000011000f" +
            "00000c746573742e6578616d706c65000b000403000102000a00160014001d0017001e001900180100010101020103010400" +
            "10000e000c02683208687474702f312e31001600000017000000310000000d002a0028040305030603080708080809080a08" +
            "0b080408050806040105010601030303010302040205020602002b0009080304030303020301002d00020101003300260024" +
            "001d0020b078c088d78903f4a67561e96eef21bff84bc5fd4276270282f47b7c031c5314001500b1"
            + "00".repeat(177));

    private SyntheticPackets() {}

    /** The payload alone, at offset 0 of a direct buffer. */
    static ByteBuffer payload(byte[] p) {
        ByteBuffer b = ByteBuffer.allocateDirect(p.length).order(ByteOrder.nativeOrder());
        b.put(0, p);
        return b;
    }

    /** An IPv4 TCP segment from 198.18.0.1:40000 to 198.18.0.2:dport carrying p, as the kernel records it. */
    static ByteBuffer tcpRecord(byte[] p, int dport) {
        ByteBuffer b = record(p, 6, 20 + 32, dport);
        b.putInt(TCP_SEQ, 0x1a2b3c4d);
        b.putInt(TCP_ACK, 0x5e6f7081);
        b.putShort(TCP_WINDOW, (short) 502);
        b.putShort(TCP_FLAGS, (short) 0x18); // PSH ACK
        b.put(TCP_OPTS, (byte) TCPOPT_TS);
        b.putInt(TCP_TS_VAL, 123456);
        b.putInt(TCP_TS_ECR, 654321);
        return b;
    }

    /** An IPv4 UDP datagram from 198.18.0.2:53 to 198.18.0.1:40000 carrying p. */
    static ByteBuffer udpRecord(byte[] p) {
        ByteBuffer b = record(p, 17, 8, 40000);
        b.putShort(SPORT, (short) 53);
        b.putShort(UDP_LEN, (short) (8 + p.length));
        return b;
    }

    private static ByteBuffer record(byte[] p, int proto, int l4HeaderLength, int dport) {
        ByteBuffer b = ByteBuffer.allocateDirect(SIZE + p.length).order(ByteOrder.nativeOrder());
        int ipLength = 20 + l4HeaderLength + p.length;
        b.putLong(MONO_NS, System.nanoTime());
        b.putInt(IFINDEX, 2);
        b.putInt(PKT_LEN, 14 + ipLength);
        b.putInt(PAYLOAD_LEN, p.length);
        b.putShort(GSO_SEGS, (short) 1);
        b.putShort(SNAP_LEN, (short) p.length);
        b.put(DIRECTION, (byte) DIR_EGRESS);
        b.put(PARSE_FLAGS, (byte) PF_L4_PARSED);
        b.put(IP_VERSION, (byte) 4);
        b.put(ETH_DST, new byte[] {2, 0, 0, 0, 0, 2});
        b.put(ETH_SRC, new byte[] {2, 0, 0, 0, 0, 1});
        b.putShort(ETH_TYPE, (short) 0x0800);
        b.put(IP_PROTO, (byte) proto);
        b.put(IP_TTL, (byte) 64);
        b.put(IP_FRAG_FLAGS, (byte) IP_DF);
        b.putInt(IP_ID, 0x4d2);
        b.putShort(IP_TOTAL_LEN, (short) ipLength);
        b.putShort(L4_HDR_LEN, (short) l4HeaderLength);
        b.put(IP_SRC, new byte[] {(byte) 198, 18, 0, 1});
        b.put(IP_DST, new byte[] {(byte) 198, 18, 0, 2});
        b.putShort(SPORT, (short) 40000);
        b.putShort(DPORT, (short) dport);
        b.putShort(PAYLOAD_OFF, (short) (14 + 20 + l4HeaderLength));
        b.put(PAYLOAD, p);
        return b;
    }
}
