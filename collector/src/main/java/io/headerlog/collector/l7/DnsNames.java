package io.headerlog.collector.l7;

import java.nio.ByteBuffer;

/**
 * Reads a domain name (RFC 1035 3.1, 4.1.4) with message compression, safely on hostile input:
 * <ul>
 *   <li>a compression pointer must point before the start of the labels it interrupts — before the
 *       name's first byte, or before the previous pointer's target. Positions then strictly
 *       decrease at every jump, so loops (a pointer to itself, two pointers to each other) and
 *       forward references cannot occur; {@link #MAX_JUMPS} caps the work besides;</li>
 *   <li>the name, in wire form, may not exceed 255 octets (RFC 1035 2.3.4);</li>
 *   <li>label types 01 and 10 (extended/reserved) are rejected.</li>
 * </ul>
 * Text form: labels joined by ".", no trailing dot, the root alone as "."; bytes outside visible
 * ASCII, "." inside a label and "\" are escaped as in master files ({@code \DDD}, {@code \.},
 * {@code \\}), so a name never carries a control character and a label with a dot stays one label.
 */
final class DnsNames {
    /** The name ran past the end of the bytes given: a cut capture. */
    static final int CUT = -1;
    /** The name is invalid (bad pointer, label type, or over 255 octets). */
    static final int BAD = -2;
    static final int MAX_WIRE_LENGTH = 255;
    static final int MAX_JUMPS = 64;

    private DnsNames() {}

    /**
     * @param msg  index of the message's first byte (pointers are offsets from it)
     * @param end  no byte at or after this is read
     * @param pos  where the name starts
     * @param out  receives the text; null to skip the name without building it
     * @return the index just after the name where it starts (after its first pointer, or its root
     *         byte), or {@link #CUT} / {@link #BAD}
     */
    static int read(ByteBuffer b, int msg, int end, int pos, StringBuilder out) {
        int p = pos;
        int floor = pos; // a pointer must target below this
        int after = -1;
        int wire = 0;
        int jumps = 0;
        int start = out == null ? 0 : out.length();
        while (true) {
            if (p >= end) {
                return CUT;
            }
            int l = Bytes.u8(b, p);
            int type = l & 0xc0;
            if (type == 0xc0) {
                if (p + 1 >= end) {
                    return CUT;
                }
                int target = msg + (((l & 0x3f) << 8) | Bytes.u8(b, p + 1));
                if (target >= floor || ++jumps > MAX_JUMPS) {
                    return BAD;
                }
                if (after < 0) {
                    after = p + 2;
                }
                floor = target;
                p = target;
                continue;
            }
            if (type != 0) {
                return BAD;
            }
            wire += l + 1;
            if (wire > MAX_WIRE_LENGTH) {
                return BAD;
            }
            if (l == 0) {
                if (out != null && out.length() == start) {
                    out.append('.');
                }
                return after < 0 ? p + 1 : after;
            }
            if (p + 1 + l > end) {
                return CUT;
            }
            if (out != null) {
                if (out.length() > start) {
                    out.append('.');
                }
                appendLabel(b, p + 1, p + 1 + l, out);
            }
            p += 1 + l;
        }
    }

    private static void appendLabel(ByteBuffer b, int from, int to, StringBuilder out) {
        for (int i = from; i < to; i++) {
            int c = Bytes.u8(b, i);
            if (c == '.' || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c > 0x20 && c < 0x7f) {
                out.append((char) c);
            } else {
                out.append('\\').append((char) ('0' + c / 100)).append((char) ('0' + c / 10 % 10)).append((char) ('0' + c % 10));
            }
        }
    }
}
