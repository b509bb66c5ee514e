package io.headerlog.collector.reassembly;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.collector.bpf.Direction;
import io.headerlog.collector.decode.TcpFlags;
import io.headerlog.collector.reassembly.PartialMessage.Ending;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random segmentations of random messages: segments shuffled, duplicated, re-cut into
 * overlapping retransmissions and sometimes snap-cut. Whatever the order, the contiguous bytes are
 * always a prefix of the message, and once every byte was offered (a final in-order retransmission, as
 * TCP would send after its losses) they are the whole message.
 */
class StreamReassemblerPropertyTest {
    private static final int CASES = 3000;
    private static final int LIMIT = 4096;
    private static final StreamKey KEY = StreamKey.of(1, Direction.EGRESS, new byte[16], new byte[16], 1, 2);

    private record Seg(int from, int to, int capturedTo, boolean fin) {}

    @Test
    void shouldRebuildTheMessageFromAnyOrderOfItsSegments() {
        Random rnd = new Random(0x5EED_0003L);
        for (int c = 0; c < CASES; c++) {
            byte[] message = new byte[1 + rnd.nextInt(rnd.nextBoolean() ? 200 : LIMIT)];
            rnd.nextBytes(message);
            // ISNs near the wrap are over-represented: that is where sequence arithmetic breaks
            long isn = rnd.nextInt(4) == 0 ? (1L << 32) - rnd.nextInt(2 * LIMIT) : rnd.nextLong() & 0xFFFF_FFFFL;
            runCase(rnd, message, isn, c);
        }
    }

    private void runCase(Random rnd, byte[] message, long isn, int caseNo) {
        String ctx = "case " + caseNo + " (length " + message.length + ", isn " + isn + ")";
        List<Seg> segs = segmentation(rnd, message.length);
        boolean fin = rnd.nextBoolean();
        if (fin) {
            Seg last = segs.get(segs.size() - 1);
            segs.set(segs.size() - 1, new Seg(last.from, last.to, last.to, true));
        }
        List<Seg> extra = new ArrayList<>();
        int retransmits = rnd.nextInt(6);
        for (int i = 0; i < retransmits; i++) { // copies cut differently from the originals
            int from = rnd.nextInt(message.length);
            int to = from + 1 + rnd.nextInt(message.length - from);
            int capturedTo = rnd.nextInt(3) == 0 ? from + rnd.nextInt(to - from) : to; // some snap-cut
            extra.add(new Seg(from, to, capturedTo, false));
        }
        if (rnd.nextBoolean()) {
            extra.add(new Seg(-1 - rnd.nextInt(100), rnd.nextInt(Math.min(message.length, 50) + 1), 0, false));
        }
        Seg first = segs.remove(0);
        List<Seg> rest = new ArrayList<>(segs);
        rest.addAll(extra);
        rest.addAll(segs.subList(0, rnd.nextInt(segs.size() + 1))); // plain duplicates
        Collections.shuffle(rest, rnd);

        StreamReassembler r = new StreamReassembler(new ReassemblyLimits(LIMIT, 4, 1 << 20, Duration.ofSeconds(2)));
        PartialMessage m = send(r, true, first, message, isn);
        for (Seg s : rest) {
            send(r, false, s, message, isn);
            assertPrefix(m, message, ctx);
        }
        for (Seg s : segs) { // the final in-order retransmission: now every byte has been offered
            send(r, false, s, message, isn);
        }
        assertPrefix(m, message, ctx);
        assertThat(m.length()).as(ctx).isEqualTo(message.length);
        assertThat(m.ending()).as(ctx).isEqualTo(message.length == LIMIT ? Ending.LIMIT : fin ? Ending.FIN : Ending.OPEN);
        r.finish(KEY);
        assertThat(r.stats().bytesHeld()).as(ctx).isZero();
    }

    private static PartialMessage send(StreamReassembler r, boolean start, Seg s, byte[] message, long isn) {
        // the segment as it sits in a ring record: payload at an offset; bytes outside the message or
        // past the captured length (the kernel never copied them) are junk the reassembler must not take
        int pad = 3;
        int wire = s.to - s.from;
        int captured = s.capturedTo - s.from;
        ByteBuffer buf = ByteBuffer.allocate(pad + wire);
        for (int i = 0; i < wire; i++) {
            int pos = s.from + i;
            boolean real = pos >= 0 && pos < message.length && i < captured;
            buf.put(pad + i, real ? message[pos] : (byte) (31 * i + 7));
        }
        long seq = (isn + s.from) & 0xFFFF_FFFFL;
        int flags = TcpFlags.ACK | (s.fin ? TcpFlags.FIN : 0);
        return start
                ? r.start(KEY, seq, flags, buf, pad, Math.max(captured, 0), wire, 0)
                : r.offer(KEY, seq, flags, buf, pad, Math.max(captured, 0), wire, 0);
    }

    private static void assertPrefix(PartialMessage m, byte[] message, String ctx) {
        assertThat(m.length()).as(ctx).isLessThanOrEqualTo(message.length);
        assertThat(Arrays.copyOf(m.bytes(), m.length())).as(ctx).isEqualTo(Arrays.copyOf(message, m.length()));
    }

    /** Cuts [0, length) into consecutive segments of random sizes (1 byte to a full MSS). */
    private static List<Seg> segmentation(Random rnd, int length) {
        List<Seg> segs = new ArrayList<>();
        int pos = 0;
        while (pos < length) {
            int size = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 1448 : 200);
            int end = Math.min(length, pos + size);
            segs.add(new Seg(pos, end, end, false));
            pos = end;
        }
        return segs;
    }
}
