package io.headerlog.collector.l7;

import io.headerlog.schema.Tls;
import java.nio.ByteBuffer;

/**
 * Recognises a TLS handshake record (RFC 8446 5.1, content type 22) that carries a ClientHello or a
 * ServerHello and decodes the hello with {@link TlsHello}. A hello split over several TLS records
 * is put back together; one longer than the bytes given is parsed as far as it goes and marked
 * truncated. Never throws.
 */
public final class TlsParser {
    static final int CONTENT_HANDSHAKE = 22;
    static final int CLIENT_HELLO = 1;
    static final int SERVER_HELLO = 2;
    static final int RECORD_HEADER = 5;
    static final int HANDSHAKE_HEADER = 4;
    /** Record header + handshake header: enough to know the hello's length. */
    static final int PREFIX = RECORD_HEADER + HANDSHAKE_HEADER;
    /** TLSCiphertext may carry 2^14 + 2048 bytes (RFC 8446 5.2); a plaintext record no more. */
    static final int MAX_RECORD_BODY = (1 << 14) + 2048;
    /** Bytes of one hello parsed at most (real ones are 0.2–2 KB; 2^24 is allowed by the format). */
    static final int MAX_HELLO_BYTES = 1 << 16;
    /** legacy_version(2) random(32) session_id(1) cipher_suite(2) compression(1) */
    private static final int MIN_SERVER_HELLO = 38;
    /** legacy_version(2) random(32) session_id(1) cipher_suites(2+2) compression_methods(1+1) */
    private static final int MIN_CLIENT_HELLO = 41;

    private TlsParser() {}

    /**
     * @param buf any byte order; only absolute reads are made
     * @param off where a TLS record may begin
     * @param len bytes available
     * @return the hello's fields, or null when the bytes are not a TLS handshake record starting
     *         with a ClientHello or ServerHello
     */
    public static Tls parse(ByteBuffer buf, int off, int len) {
        int avail = Bytes.readable(buf, off, len);
        if (avail < PREFIX + 2 || !prefixValid(buf, off, PREFIX)) {
            return null;
        }
        int end = off + avail;
        int recordLength = Bytes.u16(buf, off + 3);
        int helloLength = Bytes.u24(buf, off + 6);
        int wanted = Math.min(helloLength, MAX_HELLO_BYTES);
        int type = Bytes.u8(buf, off + 5);
        int recordVersion = Bytes.u16(buf, off + 1);
        if (HANDSHAKE_HEADER + helloLength <= recordLength) {
            int s = off + PREFIX;
            int e = Math.min(s + wanted, end);
            return TlsHello.parse(buf, s, e, type, recordVersion, e - s < helloLength);
        }
        byte[] hello = gather(buf, off, end, wanted);
        return TlsHello.parse(ByteBuffer.wrap(hello), 0, hello.length, type, recordVersion, hello.length < helloLength);
    }

    /**
     * How many bytes from off the whole hello needs — all the records that carry it — so a
     * reassembler knows when to parse. When the hello spans records whose headers have not arrived
     * yet, this is a lower bound: ask again once that many bytes are there. A value ≤ len means
     * everything there will be is there (a following record that is not a handshake record ends
     * the hello early).
     *
     * @return the byte count, or -1 when the bytes cannot begin a TLS ClientHello/ServerHello
     *         record (fewer than {@value #PREFIX} bytes that fit one give {@value #PREFIX})
     */
    public static int bytesNeeded(ByteBuffer buf, int off, int len) {
        int avail = Bytes.readable(buf, off, len);
        if (avail <= 0 || !prefixValid(buf, off, Math.min(avail, PREFIX))) {
            return -1;
        }
        if (avail < PREFIX) {
            return PREFIX;
        }
        int end = off + avail;
        long total = HANDSHAKE_HEADER + (long) Bytes.u24(buf, off + 6);
        long got = 0;
        int p = off;
        while (true) {
            if (p + RECORD_HEADER > end) {
                return (int) ((p - off) + RECORD_HEADER + (total - got));
            }
            if (p != off && !continuationValid(buf, p)) {
                return p - off;
            }
            int recordLength = Bytes.u16(buf, p + 3);
            long take = Math.min(recordLength, total - got);
            got += take;
            if (got >= total) {
                return (int) ((p - off) + RECORD_HEADER + take);
            }
            p += RECORD_HEADER + recordLength;
        }
    }

    /**
     * Checks the first n (≤ {@value #PREFIX}) bytes: handshake content type, record version
     * 0x0300–0x0304, a record long enough for the handshake header and no longer than allowed,
     * a ClientHello or ServerHello, a hello length at least that message's minimum.
     */
    private static boolean prefixValid(ByteBuffer b, int off, int n) {
        if (Bytes.u8(b, off) != CONTENT_HANDSHAKE) {
            return false;
        }
        if (n >= 2 && Bytes.u8(b, off + 1) != 3) {
            return false;
        }
        if (n >= 3 && Bytes.u8(b, off + 2) > 4) {
            return false;
        }
        if (n >= 5) {
            int recordLength = Bytes.u16(b, off + 3);
            if (recordLength < HANDSHAKE_HEADER || recordLength > MAX_RECORD_BODY) {
                return false;
            }
        }
        int type = n >= 6 ? Bytes.u8(b, off + 5) : CLIENT_HELLO;
        if (type != CLIENT_HELLO && type != SERVER_HELLO) {
            return false;
        }
        return n < PREFIX || Bytes.u24(b, off + 6) >= (type == CLIENT_HELLO ? MIN_CLIENT_HELLO : MIN_SERVER_HELLO);
    }

    /** A record that continues a handshake message: type 22, version 3.x, 1..max bytes. */
    private static boolean continuationValid(ByteBuffer b, int p) {
        int recordLength = Bytes.u16(b, p + 3);
        return Bytes.u8(b, p) == CONTENT_HANDSHAKE && Bytes.u8(b, p + 1) == 3 && Bytes.u8(b, p + 2) <= 4
                && recordLength >= 1 && recordLength <= MAX_RECORD_BODY;
    }

    /** The hello's bytes after its handshake header, taken from consecutive handshake records. */
    private static byte[] gather(ByteBuffer buf, int off, int end, int wanted) {
        byte[] out = new byte[Math.min(wanted, end - off)];
        int n = 0;
        int p = off;
        while (n < out.length && p + RECORD_HEADER <= end) {
            if (p != off && !continuationValid(buf, p)) {
                break;
            }
            int recordEnd = p + RECORD_HEADER + Bytes.u16(buf, p + 3);
            int from = p + RECORD_HEADER + (p == off ? HANDSHAKE_HEADER : 0);
            int take = Math.min(Math.min(recordEnd, end) - from, out.length - n);
            if (take > 0) {
                buf.get(from, out, n, take);
                n += take;
            }
            p = recordEnd;
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }
}
