package io.headerlog.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Application-layer payloads of exact sizes for capture tests: HTTP/1.1 header blocks and TLS hello
 * records that are structurally valid (lengths consistent, so a dissector accepts them).
 */
public final class L7Payloads {
    private L7Payloads() {}

    /**
     * An HTTP/1.x header block of exactly {@code length} bytes: {@code startLine}, a Host header, filler
     * headers {@code X-Fill-<n>: ...} and the empty line that ends the block.
     */
    public static byte[] httpHeaderBlock(String startLine, int length) {
        StringBuilder b = new StringBuilder(startLine).append("\r\nHost: b.test\r\n");
        int n = 0;
        // each filler line is at least "X-Fill-0: a\r\n" (13 bytes); the last one takes up the rest
        while (length - b.length() - 2 >= 13) {
            String name = "X-Fill-" + n++ + ": ";
            int room = length - b.length() - 2 - name.length() - 2;
            int value = Math.min(room, 200);
            if (room - value > 0 && room - value < 13) {
                value = room; // a shorter remainder could not hold another line
            }
            b.append(name).append("v".repeat(value)).append("\r\n");
        }
        b.append("\r\n");
        if (b.length() != length) {
            throw new IllegalArgumentException("cannot build a " + length + "-byte header block after '" + startLine + "'");
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A TLS 1.3 ClientHello in one handshake record of exactly {@code length} bytes (record header
     * included): SNI {@code serverName}, ALPN h2 and http/1.1, supported versions 1.3 and 1.2, and a
     * padding extension (RFC 7685) that brings it to size, as browsers pad theirs.
     */
    public static byte[] tlsClientHello(String serverName, int length) {
        byte[] host = serverName.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        extension(ext, 0x0000, concat(u16(host.length + 3), new byte[] {0}, u16(host.length), host));
        byte[] alpn = concat(alpnName("h2"), alpnName("http/1.1"));
        extension(ext, 0x0010, concat(u16(alpn.length), alpn));
        extension(ext, 0x002b, new byte[] {4, 0x03, 0x04, 0x03, 0x03});
        byte[] suites = {0x13, 0x01, 0x13, 0x02, 0x13, 0x03, (byte) 0xc0, 0x2f};
        byte[] fixed = concat(new byte[] {0x03, 0x03}, PacketBuilder.pattern(32, 5), new byte[] {32},
                PacketBuilder.pattern(32, 9), u16(suites.length), suites, new byte[] {1, 0});
        int withoutPadding = 5 + 4 + fixed.length + 2 + ext.size();
        int pad = length - withoutPadding - 4;
        if (pad < 0) {
            throw new IllegalArgumentException("a ClientHello for " + serverName + " needs at least " + (withoutPadding + 4) + " bytes");
        }
        extension(ext, 0x0015, new byte[pad]);
        byte[] body = concat(fixed, u16(ext.size()), ext.toByteArray());
        return record(concat(new byte[] {1}, u24(body.length), body), (byte) 0x01);
    }

    /**
     * A TLS 1.3 ServerHello record (TLS_AES_128_GCM_SHA256, supported version 1.3) followed by opaque
     * application-data records, as a server's first flight is, to exactly {@code length} bytes.
     */
    public static byte[] tlsServerHelloFlight(int length) {
        byte[] ext = concat(u16(0x002b), u16(2), new byte[] {0x03, 0x04});
        byte[] body = concat(new byte[] {0x03, 0x03}, PacketBuilder.pattern(32, 11), new byte[] {32},
                PacketBuilder.pattern(32, 13), new byte[] {0x13, 0x01, 0}, u16(ext.length), ext);
        byte[] hello = record(concat(new byte[] {2}, u24(body.length), body), (byte) 0x03);
        int rest = length - hello.length - 5;
        if (rest < 0) {
            throw new IllegalArgumentException("a ServerHello flight needs at least " + (hello.length + 5) + " bytes");
        }
        byte[] appData = concat(new byte[] {0x17, 0x03, 0x03}, u16(rest), PacketBuilder.pattern(rest, 17));
        return concat(hello, appData);
    }

    private static byte[] record(byte[] handshake, byte minorVersion) {
        return concat(new byte[] {0x16, 0x03, minorVersion}, u16(handshake.length), handshake);
    }

    private static byte[] alpnName(String name) {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        return concat(new byte[] {(byte) b.length}, b);
    }

    private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
        out.writeBytes(u16(type));
        out.writeBytes(u16(data.length));
        out.writeBytes(data);
    }

    private static byte[] u16(int v) {
        return new byte[] {(byte) (v >>> 8), (byte) v};
    }

    private static byte[] u24(int v) {
        return new byte[] {(byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** The arrays one after the other. */
    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List.of(parts).forEach(out::writeBytes);
        return out.toByteArray();
    }
}
