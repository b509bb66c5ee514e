package io.headerlog.collector.l7;

import io.headerlog.collector.decode.AddressFormat;
import io.headerlog.schema.Dns;
import io.headerlog.schema.DnsAnswer;
import io.headerlog.schema.DnsQuestion;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes a DNS message (RFC 1035 4.1): the header, the questions and the answer section (the
 * authority and additional sections are counted, not listed). Names are decompressed by
 * {@link DnsNames}. A, AAAA (RFC 5952 text), CNAME, NS and PTR data are given; other types'
 * data is null.
 *
 * <p>It gives null when the bytes do not look like DNS: fewer than 12, an unassigned opcode, section
 * counts that could not fit in a 64 KiB message, or a first question whose name is invalid. When a
 * message is cut (snap length, a lost segment) or a later name is invalid, what was read so far is
 * kept and {@code malformed} is set. Never throws.
 */
public final class DnsParser {
    public static final int MAX_QUESTIONS = 32;
    public static final int MAX_ANSWERS = 32;
    static final int HEADER_BYTES = 12;
    private static final int MAX_MESSAGE = 65535;
    private static final int MIN_QUESTION = 5; // root name + type + class
    private static final int MIN_RR = 11;      // root name + type + class + ttl + rdlength

    private DnsParser() {}

    /**
     * @param buf       any byte order; only absolute reads are made
     * @param off       the message's first byte (for TCP: after the 2-byte length)
     * @param len       bytes available
     * @param transport "tcp" for DNS over TCP, anything else (or null) is recorded as "udp"
     */
    public static Dns parse(ByteBuffer buf, int off, int len, String transport) {
        int avail = Bytes.readable(buf, off, len);
        if (avail < HEADER_BYTES) {
            return null;
        }
        int end = off + Math.min(avail, MAX_MESSAGE);
        int flags = Bytes.u16(buf, off + 2);
        int opcode = (flags >>> 11) & 0xf;
        int qd = Bytes.u16(buf, off + 4);
        int an = Bytes.u16(buf, off + 6);
        int ns = Bytes.u16(buf, off + 8);
        int ar = Bytes.u16(buf, off + 10);
        if (!knownOpcode(opcode) || HEADER_BYTES + (long) MIN_QUESTION * qd + (long) MIN_RR * (an + ns + ar) > MAX_MESSAGE) {
            return null;
        }
        Sections s = new Sections(buf, off, end);
        if (!s.questions(qd)) {
            return null;
        }
        if (!s.malformed) {
            s.answers(an);
        }
        return Dns.newBuilder()
                .setTransport("tcp".equalsIgnoreCase(transport) ? "tcp" : "udp")
                .setId(Bytes.u16(buf, off))
                .setResponse((flags & 0x8000) != 0)
                .setOpcode(opcode)
                .setRcode(flags & 0xf)
                .setFlags(flags)
                .setAuthoritative((flags & 0x0400) != 0)
                .setTruncated((flags & 0x0200) != 0)
                .setRecursionDesired((flags & 0x0100) != 0)
                .setRecursionAvailable((flags & 0x0080) != 0)
                .setQuestionCount(qd)
                .setAnswerCount(an)
                .setAuthorityCount(ns)
                .setAdditionalCount(ar)
                .setQuestions(s.questions)
                .setAnswers(s.answers)
                .setMalformed(s.malformed)
                .build();
    }

    /**
     * DNS over TCP prefixes every message with its length (RFC 1035 4.2.2).
     *
     * @return the message length announced at off, or -1 when fewer than 2 bytes are there or the
     *         length is below a DNS header's 12 bytes
     */
    public static int tcpMessageLength(ByteBuffer buf, int off, int len) {
        if (Bytes.readable(buf, off, len) < 2) {
            return -1;
        }
        int n = Bytes.u16(buf, off);
        return n < HEADER_BYTES ? -1 : n;
    }

    /** QUERY, IQUERY (obsolete but assigned), STATUS, NOTIFY, UPDATE, DSO. */
    private static boolean knownOpcode(int opcode) {
        return opcode <= 2 || (opcode >= 4 && opcode <= 6);
    }

    /** Walks the sections after the header, keeping the position and what was read. */
    private static final class Sections {
        private final ByteBuffer b;
        private final int msg;
        private final int end;
        private final StringBuilder name = new StringBuilder(64);
        final List<DnsQuestion> questions = new ArrayList<>(1);
        final List<DnsAnswer> answers = new ArrayList<>(4);
        int pos;
        boolean malformed;

        Sections(ByteBuffer b, int msg, int end) {
            this.b = b;
            this.msg = msg;
            this.end = end;
            this.pos = msg + HEADER_BYTES;
        }

        /** @return false when the first question's name is invalid: not DNS */
        boolean questions(int count) {
            for (int i = 0; i < count; i++) {
                boolean keep = i < MAX_QUESTIONS;
                name.setLength(0);
                int after = DnsNames.read(b, msg, end, pos, keep ? name : null);
                if (after == DnsNames.BAD && i == 0) {
                    return false;
                }
                if (after < 0 || after + 4 > end) {
                    malformed = true;
                    return true;
                }
                if (keep) {
                    int type = Bytes.u16(b, after);
                    questions.add(DnsQuestion.newBuilder()
                            .setName(name.toString())
                            .setType(type)
                            .setTypeName(DnsTypes.name(type))
                            .setQclass(Bytes.u16(b, after + 2))
                            .build());
                }
                pos = after + 4;
            }
            return true;
        }

        void answers(int count) {
            for (int i = 0; i < Math.min(count, MAX_ANSWERS); i++) {
                name.setLength(0);
                int after = DnsNames.read(b, msg, end, pos, name);
                if (after < 0 || after + 10 > end) {
                    malformed = true;
                    return;
                }
                int type = Bytes.u16(b, after);
                int rdata = after + 10;
                int rdlength = Bytes.u16(b, after + 8);
                if (rdata + rdlength > end) {
                    malformed = true;
                    return;
                }
                answers.add(DnsAnswer.newBuilder()
                        .setName(name.toString())
                        .setType(type)
                        .setTypeName(DnsTypes.name(type))
                        .setAclass(Bytes.u16(b, after + 2))
                        .setTtl(Bytes.u32(b, after + 4))
                        .setData(data(type, rdata, rdlength))
                        .build());
                pos = rdata + rdlength;
            }
        }

        private String data(int type, int rdata, int rdlength) {
            switch (type) {
                case DnsTypes.A:
                    return rdlength == 4 ? AddressFormat.ipv4(Bytes.copy(b, rdata, rdata + 4), 0) : null;
                case DnsTypes.AAAA:
                    return rdlength == 16 ? AddressFormat.ipv6(Bytes.copy(b, rdata, rdata + 16), 0) : null;
                case DnsTypes.CNAME:
                case DnsTypes.NS:
                case DnsTypes.PTR:
                    // the name must lie inside the rdata; its pointers may reach back into the message
                    name.setLength(0);
                    if (DnsNames.read(b, msg, rdata + rdlength, rdata, name) < 0) {
                        malformed = true;
                        return null;
                    }
                    return name.toString();
                default:
                    return null;
            }
        }
    }
}
