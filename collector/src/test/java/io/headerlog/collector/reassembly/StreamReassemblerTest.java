package io.headerlog.collector.reassembly;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.collector.bpf.Direction;
import io.headerlog.collector.decode.TcpFlags;
import io.headerlog.collector.reassembly.PartialMessage.Ending;
import io.headerlog.collector.reassembly.StreamReassembler.Expired;
import io.headerlog.collector.reassembly.StreamReassembler.Reason;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamReassemblerTest {
    private static final long T0 = 5_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final StreamKey KEY = key(40000);

    private final List<Expired> evicted = new ArrayList<>();
    private StreamReassembler r = new StreamReassembler(
            new ReassemblyLimits(1024, 8, 64 * 1024, Duration.ofSeconds(2)), evicted::add);

    private static StreamKey key(int srcPort) {
        return StreamKey.of(4, Direction.INGRESS, new byte[] {(byte) 198, 18, 0, 1}, new byte[] {(byte) 198, 18, 0, 2},
                srcPort, 80);
    }

    private PartialMessage start(StreamKey k, long seq, String data) {
        byte[] b = data.getBytes(ISO_8859_1);
        return r.start(k, seq, 0, ByteBuffer.wrap(b), 0, b.length, b.length, T0);
    }

    private PartialMessage offer(StreamKey k, long seq, String data) {
        return offer(k, seq, 0, data, T0 + MS);
    }

    private PartialMessage offer(StreamKey k, long seq, int flags, String data, long monoNs) {
        byte[] b = data.getBytes(ISO_8859_1);
        return r.offer(k, seq, flags, ByteBuffer.wrap(b), 0, b.length, b.length, monoNs);
    }

    private static String text(PartialMessage m) {
        return new String(m.bytes(), 0, m.length(), ISO_8859_1);
    }

    @Test
    void shouldJoinSegmentsThatArriveInOrder() {
        start(KEY, 1000, "GET / HTTP/1.1\r\n");
        offer(KEY, 1016, "Host: a\r\n");
        PartialMessage m = offer(KEY, 1025, "\r\n");
        assertThat(text(m)).isEqualTo("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(m.segments()).isEqualTo(3);
        assertThat(m.startMonoNs()).isEqualTo(T0);
        assertThat(m.startSeq()).isEqualTo(1000);
        assertThat(m.ending()).isEqualTo(Ending.OPEN);
        assertThat(m.key()).isEqualTo(KEY);
    }

    @Test
    void shouldIgnoreStreamsThatAreNotBeingReassembled() {
        assertThat(r.isEmpty()).isTrue();
        assertThat(offer(KEY, 1, "data")).isNull();
        start(KEY, 1, "GET");
        assertThat(r.isEmpty()).isFalse();
        assertThat(offer(key(40001), 4, "more")).isNull();
        assertThat(offer(KEY.reversed(), 4, "more")).isNull();
    }

    @Test
    void shouldHoldOutOfOrderBytesUntilTheGapBeforeThemFills() {
        start(KEY, 100, "aaaa");
        PartialMessage m = offer(KEY, 108, "cccc");
        assertThat(m.length()).isEqualTo(4);
        offer(KEY, 112, "dddd");
        assertThat(text(m)).isEqualTo("aaaa");
        offer(KEY, 104, "bbbb");
        assertThat(text(m)).isEqualTo("aaaabbbbccccdddd");
        assertThat(m.segments()).isEqualTo(4);
    }

    @Test
    void shouldKeepTheFirstCopyOfRetransmittedBytesAndCountTheOthers() {
        start(KEY, 100, "abcd");
        offer(KEY, 104, "efgh");
        PartialMessage m = offer(KEY, 104, "XXXX");
        assertThat(text(m)).isEqualTo("abcdefgh");
        assertThat(m.segments()).isEqualTo(2);
        assertThat(r.stats().duplicateBytes()).isEqualTo(4);
    }

    @Test
    void shouldMergeOverlappingRetransmitsOfDifferentLengths() {
        start(KEY, 0, "0123456789");
        offer(KEY, 20, "KLMNO");            // [20,25) ahead of a gap
        offer(KEY, 5, "xxxxxABCDEFGHIJk"); // [5,21): 5 old bytes, 10 new, 1 overlaps the piece ahead
        offer(KEY, 3, "yyyyyyy");          // [3,10) entirely old
        PartialMessage m = offer(KEY, 24, "zPQRS"); // [24,29): 1 old, 4 new
        assertThat(text(m)).isEqualTo("0123456789ABCDEFGHIJKLMNOPQRS");
        assertThat(r.stats().duplicateBytes()).isEqualTo(5 + 1 + 7 + 1);
    }

    @Test
    void shouldFollowSequenceNumbersAcrossTheWrapAt2To32() {
        long nearEnd = (1L << 32) - 6;
        start(KEY, nearEnd, "abc");
        offer(KEY, 3, "jk");               // wrapped: 2^32 - 6 + 9 = 3
        offer(KEY, 0, "ghi");              // the first piece after the wrap
        PartialMessage m = offer(KEY, (1L << 32) - 3, "def");
        assertThat(text(m)).isEqualTo("abcdefghijk");
        assertThat(m.startSeq()).isEqualTo(nearEnd);
    }

    @Test
    void shouldAcceptSequenceNumbersGivenAsSignedInts() {
        start(KEY, (int) 0xFFFF_FFF0L, "0123456789abcdef"); // -16 as an int
        PartialMessage m = offer(KEY, 0, "tail");
        assertThat(text(m)).isEqualTo("0123456789abcdeftail");
    }

    @Test
    void shouldIgnoreSegmentsBeforeTheStartButKeepTheTailOfOneThatStraddlesIt() {
        start(KEY, 1000, "GET ");
        PartialMessage m = offer(KEY, 990, "old bytes.");     // [990,1000): all before
        assertThat(r.stats().outOfWindowSegments()).isEqualTo(1);
        offer(KEY, 994, "oldbb.GET /x");                     // [994,1006): 6 before, 4 old, 2 new
        assertThat(text(m)).isEqualTo("GET /x");
        offer(KEY, 1000L + (1L << 31) + 5, "far");          // more than 2^31 ahead = behind
        assertThat(r.stats().outOfWindowSegments()).isEqualTo(2);
        assertThat(text(m)).isEqualTo("GET /x");
    }

    @Test
    void shouldStopAtTheMessageLimitAndSayWhy() {
        String block = "x".repeat(1000);
        start(KEY, 0, block);
        PartialMessage m = offer(KEY, 1000, "y".repeat(100));
        assertThat(m.length()).isEqualTo(1024);
        assertThat(m.ending()).isEqualTo(Ending.LIMIT);
        assertThat(m.canGrow()).isFalse();
        offer(KEY, 1100, "z");
        assertThat(r.stats().outOfWindowSegments()).isEqualTo(1);
    }

    @Test
    void shouldReportASnapGapWhenTheKernelCutASegment() {
        byte[] b = "GET /long HTTP/1.1\r\nHost: a".getBytes(ISO_8859_1);
        PartialMessage m = r.start(KEY, 0, 0, ByteBuffer.wrap(b), 0, b.length, 1448, T0);
        assertThat(m.length()).isEqualTo(b.length);
        assertThat(m.ending()).isEqualTo(Ending.SNAP_GAP);
        assertThat(r.stats().snapGaps()).isEqualTo(1);
    }

    @Test
    void shouldReportASnapGapOnlyOnceTheContiguousBytesReachIt() {
        start(KEY, 0, "aaaa");
        byte[] cut = "cccc".getBytes(ISO_8859_1);
        PartialMessage m = r.offer(KEY, 8, 0, ByteBuffer.wrap(cut), 0, 4, 100, T0); // [8,12) kept, [12,108) lost
        assertThat(m.ending()).isEqualTo(Ending.OPEN); // [4,8) may still come
        offer(KEY, 4, "bbbb");
        assertThat(text(m)).isEqualTo("aaaabbbbcccc");
        assertThat(m.ending()).isEqualTo(Ending.SNAP_GAP);
    }

    @Test
    void shouldNotMakeAGapOfACutRetransmissionWhoseBytesAreAlreadyHeld() {
        start(KEY, 0, "aaaabbbbcccc");
        byte[] cut = "aaaa".getBytes(ISO_8859_1);
        PartialMessage m = r.offer(KEY, 0, 0, ByteBuffer.wrap(cut), 0, 4, 12, T0);
        assertThat(m.ending()).isEqualTo(Ending.OPEN);
        assertThat(r.stats().snapGaps()).isZero();
    }

    @Test
    void shouldForgetAGapThatAnUncutCopyFilledLater() {
        byte[] cut = "aaaa".getBytes(ISO_8859_1);
        PartialMessage m = r.start(KEY, 0, 0, ByteBuffer.wrap(cut), 0, 4, 8, T0);
        assertThat(m.ending()).isEqualTo(Ending.SNAP_GAP);
        offer(KEY, 0, "aaaabbbbcc");
        assertThat(text(m)).isEqualTo("aaaabbbbcc");
        assertThat(m.ending()).isEqualTo(Ending.OPEN);
    }

    @Test
    void shouldTimeOutAGapThatNeverFills() {
        start(KEY, 0, "aaaa");
        offer(KEY, 8, 0, "cccc", T0 + 10 * MS);
        assertThat(r.expire(T0 + 10 * MS + 2000 * MS)).isEmpty(); // exactly the timeout: not longer
        List<Expired> expired = r.expire(T0 + 10 * MS + 2000 * MS + 1);
        assertThat(expired).hasSize(1);
        Expired e = expired.get(0);
        assertThat(e.key()).isEqualTo(KEY);
        assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(text(e.message())).isEqualTo("aaaa");
        assertThat(r.stats().timeouts()).isEqualTo(1);
        assertThat(r.stats().activeStreams()).isZero();
        assertThat(r.stats().bytesHeld()).isZero();
        assertThat(offer(KEY, 4, "bbbb")).isNull();
    }

    @Test
    void shouldNotKeepAStreamAliveWithDuplicatesOrDroppedSegments() {
        start(KEY, 0, "aaaa");
        offer(KEY, 0, 0, "aaaa", T0 + 1900 * MS);    // duplicate
        offer(KEY, 5000, 0, "zzzz", T0 + 1950 * MS); // beyond the limit
        assertThat(r.expire(T0 + 2001 * MS)).hasSize(1);
    }

    @Test
    void shouldExpireOnlyIdleStreams() {
        start(key(1), 0, "a");
        start(key(2), 0, "b");
        offer(key(2), 1, 0, "c", T0 + 1500 * MS);
        List<Expired> expired = r.expire(T0 + 2500 * MS);
        assertThat(expired).extracting(Expired::key).containsExactly(key(1));
        assertThat(r.stats().activeStreams()).isEqualTo(1);
    }

    @Test
    void shouldEvictTheLeastRecentlyUsedStreamWhenTheStreamLimitIsHit() {
        for (int i = 0; i < 8; i++) {
            start(key(i), 0, "stream " + i);
        }
        offer(key(0), 8, "!"); // stream 0 is now the most recently used
        start(key(100), 0, "new");
        assertThat(evicted).extracting(Expired::key).containsExactly(key(1));
        assertThat(evicted.get(0).reason()).isEqualTo(Reason.EVICTED);
        assertThat(text(evicted.get(0).message())).isEqualTo("stream 1");
        assertThat(offer(key(1), 8, "x")).isNull();
        assertThat(offer(key(0), 9, "?")).isNotNull();
        assertThat(r.stats().evictions()).isEqualTo(1);
        assertThat(r.stats().activeStreams()).isEqualTo(8);
    }

    @Test
    void shouldStayWithinTheStreamLimitUnderManyStreams() {
        r = new StreamReassembler(new ReassemblyLimits(256, 100, 1 << 20, Duration.ofSeconds(2)), evicted::add);
        for (int i = 0; i < 10_000; i++) {
            start(key(i), i * 7919L, "GET /" + i);
            assertThat(r.stats().activeStreams()).isLessThanOrEqualTo(100);
        }
        assertThat(r.stats().evictions()).isEqualTo(9_900);
        assertThat(evicted).hasSize(9_900);
        assertThat(r.stats().bytesHeld()).isEqualTo(100 * 256);
        assertThat(text(r.offer(key(9_999), 9_999 * 7919L + 9, 0, ByteBuffer.allocate(0), 0, 0, 0, T0)))
                .isEqualTo("GET /9999");
    }

    @Test
    void shouldEvictOthersToStayUnderTheTotalBytes() {
        r = new StreamReassembler(new ReassemblyLimits(4096, 100, 8192, Duration.ofSeconds(2)), evicted::add);
        start(key(1), 0, "a".repeat(3000)); // 4096 (limit) capacity
        start(key(2), 0, "b".repeat(100));  // 2048
        assertThat(r.stats().bytesHeld()).isEqualTo(4096 + 2048);
        offer(key(2), 100, "b".repeat(2900)); // grows to 4096: 8192 in total, still fits
        assertThat(evicted).isEmpty();
        start(key(3), 0, "c");              // needs 2048 more: the least recently used goes
        assertThat(evicted).extracting(Expired::key).containsExactly(key(1));
        assertThat(r.stats().bytesHeld()).isEqualTo(4096 + 2048).isLessThanOrEqualTo(8192);
    }

    @Test
    void shouldNeverEvictTheStreamThatIsGrowing() {
        r = new StreamReassembler(new ReassemblyLimits(4096, 100, 4096, Duration.ofSeconds(2)), evicted::add);
        start(key(1), 0, "a");
        PartialMessage m = start(key(2), 0, "b".repeat(3000));
        assertThat(evicted).extracting(Expired::key).containsExactly(key(1));
        assertThat(m.length()).isEqualTo(3000);
        assertThat(r.stats().bytesHeld()).isEqualTo(4096);
    }

    @Test
    void shouldEndAtTheFinOnlyOnceTheBytesBeforeItArrived() {
        start(KEY, 0, "aaaa");
        PartialMessage m = offer(KEY, 8, TcpFlags.FIN | TcpFlags.ACK, "cccc", T0);
        assertThat(m.ending()).isEqualTo(Ending.OPEN);
        offer(KEY, 4, "bbbb");
        assertThat(text(m)).isEqualTo("aaaabbbbcccc");
        assertThat(m.ending()).isEqualTo(Ending.FIN);
    }

    @Test
    void shouldEndAtOnceOnReset() {
        start(KEY, 0, "aaaa");
        offer(KEY, 8, "cccc");
        PartialMessage m = offer(KEY, 4, TcpFlags.RST, "", T0);
        assertThat(m.ending()).isEqualTo(Ending.RST);
        offer(KEY, 4, "bbbb");
        assertThat(text(m)).isEqualTo("aaaa");
        assertThat(m.ending()).isEqualTo(Ending.RST);
    }

    @Test
    void shouldNotMixANewConnectionsSynDataIntoTheMessage() {
        start(KEY, 0, "aaaa");
        PartialMessage m = offer(KEY, 4, TcpFlags.SYN, "NEW!", T0);
        assertThat(text(m)).isEqualTo("aaaa");
        assertThat(m.ending()).isEqualTo(Ending.SYN);
    }

    @Test
    void shouldHonourAFinOnTheStartingSegment() {
        byte[] b = "GET / HTTP/1.0\r\n".getBytes(ISO_8859_1);
        PartialMessage m = r.start(KEY, 0, TcpFlags.FIN | TcpFlags.ACK, ByteBuffer.wrap(b), 0, b.length, b.length, T0);
        assertThat(m.ending()).isEqualTo(Ending.FIN);
    }

    @Test
    void shouldStartTheNextPipelinedMessageWhereTheFirstEnded() {
        start(KEY, 500, "GET /1 HTTP/1.1\r\n\r\nGET /2 HT");
        offer(KEY, 538, "more after a gap");
        PartialMessage next = r.advance(KEY, 19, T0 + 7 * MS);
        assertThat(text(next)).isEqualTo("GET /2 HT");
        assertThat(next.startSeq()).isEqualTo(519);
        assertThat(next.startMonoNs()).isEqualTo(T0 + 7 * MS);
        offer(KEY, 528, "TP/1.1\r\n\r\n");
        assertThat(text(next)).isEqualTo("GET /2 HTTP/1.1\r\n\r\nmore after a gap");
        assertThat(r.advance(KEY, next.length(), T0)).isNull();
        assertThat(r.isEmpty()).isTrue();
        assertThat(r.stats().bytesHeld()).isZero();
    }

    @Test
    void shouldKeepTrackingWhenOnlyBytesAfterAGapFollowTheConsumedMessage() {
        start(KEY, 0, "GET /1 HTTP/1.1\r\n\r\n");
        offer(KEY, 25, "later");
        PartialMessage next = r.advance(KEY, 19, T0);
        assertThat(next.length()).isZero();
        offer(KEY, 19, "GET /2");
        assertThat(text(next)).isEqualTo("GET /2later");
    }

    @Test
    void shouldRefuseToConsumeBytesThatAreNotContiguous() {
        start(KEY, 0, "abc");
        assertThatThrownBy(() -> r.advance(KEY, 4, T0)).hasMessageContaining("0..3");
        assertThat(r.advance(key(9), 1, T0)).isNull();
    }

    @Test
    void shouldReplaceAMessageWhenANewOneStartsOnTheSameStream() {
        start(KEY, 0, "old");
        PartialMessage m = start(KEY, 100, "new");
        assertThat(text(m)).isEqualTo("new");
        assertThat(r.stats().replaced()).isEqualTo(1);
        assertThat(r.stats().activeStreams()).isEqualTo(1);
        assertThat(r.stats().bytesHeld()).isEqualTo(1024);
    }

    @Test
    void shouldNotTakeBytesBeyondTheWireLengthOrTheBuffer() {
        byte[] padded = "ab\0\0\0\0".getBytes(ISO_8859_1); // 2 payload bytes + Ethernet padding
        PartialMessage m = r.start(KEY, 0, 0, ByteBuffer.wrap(padded), 0, 6, 2, T0);
        assertThat(text(m)).isEqualTo("ab");
        byte[] shortBuf = "cd".getBytes(ISO_8859_1);
        r.offer(KEY, 2, 0, ByteBuffer.wrap(shortBuf), 0, 10, 10, T0); // claims more than the buffer has
        assertThat(text(m)).isEqualTo("abcd");
        assertThat(m.ending()).isEqualTo(Ending.SNAP_GAP);
    }

    @Test
    void shouldReadTheSegmentAtItsOffsetInALargerBuffer() {
        ByteBuffer ring = ByteBuffer.allocateDirect(64);
        ring.put(40, "GET /".getBytes(ISO_8859_1));
        PartialMessage m = r.start(KEY, 7, 0, ring, 40, 5, 5, T0);
        assertThat(text(m)).isEqualTo("GET /");
        assertThat(m.buffer().get(4)).isEqualTo((byte) '/');
    }

    @Test
    void shouldDropSegmentsThatWouldSplitTheMessageIntoTooManyPieces() {
        start(KEY, 0, "a");
        for (int i = 1; i <= ByteRanges.MAX_RANGES; i++) {
            offer(KEY, 2L * i, "x");
        }
        assertThat(r.stats().outOfWindowSegments()).isEqualTo(1);
        PartialMessage m = offer(KEY, 1, "y"); // merges pieces: room again
        assertThat(text(m)).isEqualTo("ayx");
    }

    @Test
    void shouldReleaseEveryByteOnFinish() {
        start(KEY, 0, "abc");
        start(key(2), 0, "def");
        assertThat(r.finish(KEY)).isTrue();
        assertThat(r.finish(KEY)).isFalse();
        assertThat(r.finish(key(2))).isTrue();
        assertThat(r.stats().bytesHeld()).isZero();
        assertThat(r.stats().activeStreams()).isZero();
        assertThat(r.stats().started()).isEqualTo(2);
    }

    @Test
    void shouldNeverShowPayloadBytesInToString() {
        PartialMessage m = start(KEY, 0, "Authorization: Bearer s3cr3t-t0ken");
        assertThat(m.toString()).doesNotContain("s3cr3t").contains("length=34");
    }
}
