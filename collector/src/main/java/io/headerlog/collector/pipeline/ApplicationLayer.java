package io.headerlog.collector.pipeline;

import io.headerlog.collector.decode.DecodedPacket;
import io.headerlog.collector.decode.HttpMessages;
import io.headerlog.collector.l7.DnsParser;
import io.headerlog.collector.l7.HttpParse;
import io.headerlog.collector.l7.HttpParser;
import io.headerlog.collector.l7.TlsParser;
import io.headerlog.collector.reassembly.PartialMessage;
import io.headerlog.collector.reassembly.ReassemblyLimits;
import io.headerlog.collector.reassembly.ReassemblyStats;
import io.headerlog.collector.reassembly.StreamKey;
import io.headerlog.collector.reassembly.StreamReassembler;
import io.headerlog.schema.Dns;
import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.Tls;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Finds the HTTP, DNS and TLS messages that begin in each packet's payload prefix and puts them on
 * that packet's record.
 *
 * <p>A message that does not end inside its first segment is reassembled from the following
 * segments of the same observed stream; the first segment's record is <em>held</em> until the message
 * is complete, so every message sits on the record of the packet where it began (with
 * {@code segments} saying how many it took), whatever its length. A held record is published
 * incomplete ({@code truncated}) when its stream stalls past the idle timeout, ends, loses a segment
 * to the snap length, or is evicted by the memory limits — never dropped.
 *
 * <p>Further messages that begin in the same packet (HTTP pipelining) get records of their own: copies
 * of the packet's record with {@code appMessageIndex} 1, 2, … Bytes after a message are searched only
 * when its length is known (a request without body, Content-Length) and they are in the same packet.
 *
 * <p>Runs on the ring reader thread only.
 */
public final class ApplicationLayer {
    static final int DNS_PORT = 53;
    static final int MDNS_PORT = 5353;

    private final HttpMessages http;
    private final int maxHeaderBytes;
    private final StreamReassembler reassembler;
    private final Map<StreamKey, Held> held = new HashMap<>();
    private final List<StreamReassembler.Expired> evicted = new ArrayList<>();
    private final ApplicationCounters counters = new ApplicationCounters();

    private enum Protocol { HTTP, TLS, DNS_TCP }

    /** A record waiting for the rest of the message that began in its packet. */
    private static final class Held {
        final PacketHeader.Builder record;
        final Protocol protocol;

        Held(PacketHeader.Builder record, Protocol protocol) {
            this.record = record;
            this.protocol = protocol;
        }
    }

    /** The outcome of looking at the bytes of one message. */
    private record Found(boolean done, int consumed) {
        static final Found WAITING = new Found(false, -1);
    }

    public ApplicationLayer(HttpMessages http, ReassemblyLimits limits) {
        this.http = http;
        this.maxHeaderBytes = limits.maxMessageBytes();
        this.reassembler = new StreamReassembler(limits, evicted::add);
    }

    /** Decodes the packet's application messages and emits its record(s), now or when complete. */
    public void process(DecodedPacket p, Consumer<PacketHeader> out) {
        if (p.isUdp()) {
            decodeUdp(p);
            out.accept(p.header().build());
        } else if (p.isTcp()) {
            decodeTcp(p, out);
        } else {
            out.accept(p.header().build());
        }
        publishEvicted(out);
    }

    private void decodeUdp(DecodedPacket p) {
        if (p.capturedLen() > 0 && isDnsPort(p)) {
            Dns dns = DnsParser.parse(p.buf(), p.payloadOff(), p.capturedLen(), "udp");
            if (dns != null) {
                p.header().setDns(dns);
                counters.dns++;
            }
        }
    }

    private void decodeTcp(DecodedPacket p, Consumer<PacketHeader> out) {
        int pos = 0;
        StreamKey key = null;
        if (!held.isEmpty()) {
            key = p.streamKey();
            Held waiting = held.get(key);
            if (waiting != null) {
                pos = continueMessage(key, waiting, p, out);
                if (pos < 0) {
                    out.accept(p.header().build()); // this segment only continued the held message
                    return;
                }
            }
        }
        findMessages(p, key, pos, out);
    }

    /**
     * Adds the segment to the held message of its stream and publishes that message when it is
     * complete (or can no longer grow).
     *
     * @return where in this segment's payload unexamined bytes start after the message ended, or -1
     *         when the message is still incomplete (or the rest of the segment cannot be located)
     */
    private int continueMessage(StreamKey key, Held waiting, DecodedPacket p, Consumer<PacketHeader> out) {
        PartialMessage m = reassembler.offer(key, p.tcpSeq(), p.tcpFlags(), p.buf(), p.payloadOff(),
                p.capturedLen(), p.wireLen(), p.monoNs());
        if (m == null) {
            // the reassembler gave up on it (eviction is published below): nothing more to add
            held.remove(key);
            return 0;
        }
        Found found = complete(waiting, m, !m.canGrow());
        if (!found.done()) {
            return -1;
        }
        long startSeq = m.startSeq();
        held.remove(key);
        reassembler.finish(key);
        out.accept(waiting.record.build());
        if (found.consumed() < 0) {
            return -1;
        }
        // the message ended inside this segment: what follows it may begin the next message
        long end = (startSeq + found.consumed() - p.tcpSeq()) & 0xFFFF_FFFFL;
        return end > 0 && end < p.capturedLen() ? (int) end : -1;
    }

    /**
     * Looks for messages from {@code pos} on and publishes the packet's records: the first message
     * goes on the packet's own record, further ones on copies of it. The own record is held instead
     * when its message continues in later segments.
     */
    private void findMessages(DecodedPacket p, StreamKey key, int pos, Consumer<PacketHeader> out) {
        PacketHeader.Builder own = p.header();
        PacketHeader base = null;
        boolean ownPending = true;
        for (int index = 0; pos < p.capturedLen(); index++) {
            Protocol protocol = detect(p, pos);
            if (protocol == null) {
                break;
            }
            if (index == 1) {
                base = PacketHeader.newBuilder(own).setHttp(null).setTls(null).setDns(null).build();
            }
            PacketHeader.Builder target = index == 0 ? own : PacketHeader.newBuilder(base).setAppMessageIndex(index);
            int avail = p.capturedLen() - pos;
            Found found = firstSegment(protocol, target, p.buf(), p.payloadOff() + pos, avail);
            if (!found.done()) {
                // it goes on in later segments: reassemble if every byte of this one was captured
                if (p.capturedLen() == p.wireLen()) {
                    StreamKey k = key != null ? key : p.streamKey();
                    reassembler.start(k, (p.tcpSeq() + pos) & 0xFFFF_FFFFL, p.tcpFlags(), p.buf(),
                            p.payloadOff() + pos, avail, avail, p.monoNs());
                    held.put(k, new Held(target, protocol));
                    return; // the held record (the own one when index is 0) goes out when complete
                }
                finishWith(protocol, target, p.buf(), p.payloadOff() + pos, avail, 1, true);
                found = new Found(true, -1);
            }
            // records go out in the order their messages appear
            out.accept(target.build());
            ownPending = false;
            if (found.consumed() <= 0) {
                return;
            }
            pos += found.consumed();
        }
        if (ownPending) {
            out.accept(own.build());
        }
    }

    /** Which protocol's message starts at {@code pos} of the payload, or null. */
    private static Protocol detect(DecodedPacket p, int pos) {
        ByteBuffer b = p.buf();
        int at = p.payloadOff() + pos;
        int avail = p.capturedLen() - pos;
        byte first = b.get(at);
        if (first == 0x16 && TlsParser.bytesNeeded(b, at, avail) != -1) {
            return Protocol.TLS;
        }
        if (isDnsPort(p)) {
            return Protocol.DNS_TCP;
        }
        // every HTTP/1.x start line begins with an upper-case letter: skip the parser for the rest
        if (first >= 'A' && first <= 'Z' && HttpParser.parse(b, at, Math.min(avail, 16), 16).isHttp()) {
            return Protocol.HTTP;
        }
        return null;
    }

    /** Decodes a message from its first segment's bytes; not done when it needs more bytes. */
    private Found firstSegment(Protocol protocol, PacketHeader.Builder target, ByteBuffer b, int at, int avail) {
        switch (protocol) {
            case HTTP: {
                HttpParse parse = HttpParser.parse(b, at, avail, maxHeaderBytes);
                if (parse.kind() == HttpParse.Kind.INCOMPLETE) {
                    return Found.WAITING;
                }
                if (!parse.isHttp()) {
                    return new Found(true, -1);
                }
                target.setHttp(http.toRecord(parse, 1, false, avail));
                count(protocol, 1, parse.kind() != HttpParse.Kind.COMPLETE);
                return new Found(true, consumedHttp(parse, at));
            }
            case TLS: {
                int needed = TlsParser.bytesNeeded(b, at, avail);
                if (needed > avail) {
                    return Found.WAITING;
                }
                setTls(target, TlsParser.parse(b, at, avail), 1);
                return new Found(true, needed);
            }
            case DNS_TCP: {
                int length = DnsParser.tcpMessageLength(b, at, avail);
                if (length < 0 || 2 + length > avail) {
                    return Found.WAITING;
                }
                setDns(target, DnsParser.parse(b, at + 2, length, "tcp"), 1);
                return new Found(true, 2 + length);
            }
            default:
                throw new IllegalStateException("unknown protocol " + protocol);
        }
    }

    /** Decides whether a reassembled message is complete; when it is (or {@code force}), fills it in. */
    private Found complete(Held waiting, PartialMessage m, boolean force) {
        ByteBuffer b = m.buffer();
        int len = m.length();
        switch (waiting.protocol) {
            case HTTP: {
                HttpParse parse = HttpParser.parse(b, 0, len, maxHeaderBytes);
                if (parse.kind() == HttpParse.Kind.INCOMPLETE && !force) {
                    return Found.WAITING;
                }
                if (parse.kind() == HttpParse.Kind.INCOMPLETE || !parse.isHttp()) {
                    finishWith(Protocol.HTTP, waiting.record, b, 0, len, m.segments(), true);
                    return new Found(true, -1);
                }
                waiting.record.setHttp(http.toRecord(parse, m.segments(), false, len));
                count(Protocol.HTTP, m.segments(), parse.kind() != HttpParse.Kind.COMPLETE);
                return new Found(true, consumedHttp(parse, 0));
            }
            case TLS: {
                int needed = TlsParser.bytesNeeded(b, 0, len);
                if ((needed < 0 || needed > len) && !force) {
                    return Found.WAITING;
                }
                setTls(waiting.record, TlsParser.parse(b, 0, len), m.segments());
                return new Found(true, needed > 0 && needed <= len ? needed : -1);
            }
            case DNS_TCP: {
                int length = DnsParser.tcpMessageLength(b, 0, len);
                boolean whole = length >= 0 && 2 + length <= len;
                if (!whole && !force) {
                    return Found.WAITING;
                }
                Dns dns = length < 0 ? null : DnsParser.parse(b, 2, Math.min(length, len - 2), "tcp");
                setDns(waiting.record, dns, m.segments());
                return new Found(true, whole ? 2 + length : -1);
            }
            default:
                throw new IllegalStateException("unknown protocol " + waiting.protocol);
        }
    }

    /** Puts what there is of a message that will not get more bytes on its record, as truncated. */
    private void finishWith(Protocol protocol, PacketHeader.Builder target, ByteBuffer b, int at, int len,
                            int segments, boolean truncated) {
        switch (protocol) {
            case HTTP: {
                // a window as long as the bytes makes the parser report the headers seen so far
                HttpParse parse = HttpParser.parse(b, at, len, Math.max(1, len));
                if (parse.isHttp()) {
                    target.setHttp(http.toRecord(parse, segments, truncated, len));
                    count(protocol, segments, true);
                }
                break;
            }
            case TLS:
                setTls(target, TlsParser.parse(b, at, len), segments);
                break;
            case DNS_TCP: {
                int length = DnsParser.tcpMessageLength(b, at, len);
                setDns(target, length < 0 ? null : DnsParser.parse(b, at + 2, Math.min(length, len - 2), "tcp"), segments);
                break;
            }
            default:
                throw new IllegalStateException("unknown protocol " + protocol);
        }
    }

    private void setTls(PacketHeader.Builder target, Tls tls, int segments) {
        if (tls != null) {
            target.setTls(tls);
            count(Protocol.TLS, segments, tls.getTruncated());
        }
    }

    private void setDns(PacketHeader.Builder target, Dns dns, int segments) {
        if (dns != null) {
            target.setDns(dns);
            count(Protocol.DNS_TCP, segments, dns.getMalformed());
        }
    }

    /** Bytes from the message start to where a pipelined next message would begin, or -1 if unknown. */
    private static int consumedHttp(HttpParse parse, int at) {
        long next = parse.nextMessageOffset();
        return next < 0 || next - at > Integer.MAX_VALUE ? -1 : (int) (next - at);
    }

    private void count(Protocol protocol, int segments, boolean truncated) {
        switch (protocol) {
            case HTTP -> counters.http++;
            case TLS -> counters.tls++;
            case DNS_TCP -> counters.dns++;
            default -> throw new IllegalStateException("unknown protocol " + protocol);
        }
        if (segments > 1) {
            counters.reassembled++;
        }
        if (truncated) {
            counters.truncated++;
        }
    }

    private static boolean isDnsPort(DecodedPacket p) {
        return p.srcPort() == DNS_PORT || p.dstPort() == DNS_PORT
                || p.srcPort() == MDNS_PORT || p.dstPort() == MDNS_PORT;
    }

    /**
     * Publishes held records whose stream was idle past the timeout. Call it regularly (every ~100 ms)
     * with the current CLOCK_MONOTONIC time.
     */
    public void expire(long nowMonoNs, Consumer<PacketHeader> out) {
        for (StreamReassembler.Expired e : reassembler.expire(nowMonoNs)) {
            publishGivenUp(e.key(), e.message(), out);
        }
        publishEvicted(out);
    }

    /** Publishes every held record as it is (at shutdown). */
    public void flush(Consumer<PacketHeader> out) {
        expire(Long.MAX_VALUE, out);
        for (Map.Entry<StreamKey, Held> e : new ArrayList<>(held.entrySet())) {
            held.remove(e.getKey());
            out.accept(e.getValue().record.build());
        }
    }

    private void publishEvicted(Consumer<PacketHeader> out) {
        if (evicted.isEmpty()) {
            return;
        }
        for (StreamReassembler.Expired e : evicted) {
            counters.evicted++;
            publishGivenUp(e.key(), e.message(), out);
        }
        evicted.clear();
    }

    private void publishGivenUp(StreamKey key, PartialMessage m, Consumer<PacketHeader> out) {
        Held waiting = held.remove(key);
        if (waiting == null) {
            return;
        }
        complete(waiting, m, true);
        out.accept(waiting.record.build());
    }

    /** Messages decoded so far, for CollectorStats. */
    public ApplicationCounters counters() {
        return counters;
    }

    public ReassemblyStats reassemblyStats() {
        return reassembler.stats();
    }

    /** Records held for an incomplete message right now. */
    public int heldRecords() {
        return held.size();
    }
}
