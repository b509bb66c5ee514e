package io.headerlog.streams.sampling;

import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.Tcp;

/**
 * Second-stage consistent (trajectory) sampling in the stream: keeps about 1 in {@code rate} of the
 * records it sees, deciding by the record's {@code packetHash}, so every host's record of one packet
 * gets the same decision and records of a packet stay joinable across hosts (RFC 5475 hash-based
 * selection, as the kernel's first stage).
 *
 * <h2>Which bits decide, and why the high ones</h2>
 *
 * The kernel keeps a packet at rate K when {@code ((hash & 0xffffffff) * K) >>> 32 == 0}: the low 32
 * bits of the hash, below {@code ceil(2^32 / K)}. Deciding the second stage on the same low bits
 * would not be a second stage: every record that reached the stream has a low word below 2^32/K, so
 * a stream rate N ≤ K would keep all of them (the stream would change nothing, yet the records would
 * claim rate K·N), and N > K would keep exactly those below 2^32/N (an overall rate N, not K·N). This
 * sampler decides on the high 32 bits with the same formula, {@code ((hash >>> 32) * N) >>> 32 == 0}.
 * The packet hash ends with the murmur3 64-bit finalizer (fmix64, see PacketHash / bpf/capture.h), whose
 * output words are statistically independent, so the stream keeps 1/N of what the kernel kept, whatever K
 * is, and a kept record stands for K·N packets. The decision still depends on nothing but the hash, so
 * it is the same for every host's copy of a packet (and for the extra records of pipelined HTTP
 * messages, which repeat their packet's hash).
 *
 * <h2>Records kept regardless, and records without a hash</h2>
 *
 * As the kernel does, and in its order: a record without {@code packetHash} (not IP) is kept with its
 * rate unchanged; TCP SYN/FIN/RST ({@code keepTcpControl}) and records that carry an HTTP, DNS or TLS
 * message ({@code keepL7}) are kept with their rate unchanged — they were kept with probability 1, so
 * they stand for themselves. The record does not say why the kernel kept it (sampleRate 1 is also the
 * rate of a kernel that does not sample), so the stream looks at the record's content, as the kernel
 * did; both are on by default and can be turned off, then those records are sampled like any other
 * (and, the two stages being independent, a record the kernel kept regardless that the stream keeps
 * at N stands for N packets: still an unbiased weight). The kernel also keeps the TCP segments that
 * follow an L7 start; their records carry no message, so the stream samples them.
 *
 * <p>One stream stage only: a third stage on the same high bits would be correlated with this one.
 *
 * <p>Immutable and thread-safe; {@link #decide} allocates nothing for dropped and regardless-kept
 * records of rate 1.
 */
public final class ConsistentSampler {
    /** Largest stream rate, the kernel's largest (HL_SAMPLE_RATE_MAX). */
    public static final int MAX_RATE = 1 << 20;

    private static final int TCP_FIN = 0x01;
    private static final int TCP_SYN = 0x02;
    private static final int TCP_RST = 0x04;

    private static final SampleDecision[] UNCHANGED_RATE_ONE = {
        new SampleDecision(true, 1, SampleDecision.Reason.NO_HASH),
        new SampleDecision(true, 1, SampleDecision.Reason.TCP_CONTROL),
        new SampleDecision(true, 1, SampleDecision.Reason.L7),
    };

    private final int rate;
    private final boolean keepTcpControl;
    private final boolean keepL7;

    /** Keeps about 1 in {@code rate}; TCP control and L7 records are kept regardless. */
    public ConsistentSampler(int rate) {
        this(rate, true, true);
    }

    /**
     * @param rate           keep about 1 in rate, 1..{@link #MAX_RATE}; 1 keeps every record
     * @param keepTcpControl keep TCP SYN/FIN/RST records regardless of their hash
     * @param keepL7         keep records with an HTTP, DNS or TLS message regardless of their hash
     * @throws IllegalArgumentException for a rate out of range
     */
    public ConsistentSampler(int rate, boolean keepTcpControl, boolean keepL7) {
        if (rate < 1 || rate > MAX_RATE) {
            throw new IllegalArgumentException("stream sample rate must be between 1 and " + MAX_RATE + ", got " + rate);
        }
        this.rate = rate;
        this.keepTcpControl = keepTcpControl;
        this.keepL7 = keepL7;
    }

    public int rate() {
        return rate;
    }

    public boolean keepsTcpControl() {
        return keepTcpControl;
    }

    public boolean keepsL7() {
        return keepL7;
    }

    /**
     * The decision for one record: keep or drop, why, and the rate a kept record stands for.
     *
     * @throws NullPointerException for a null record
     */
    public SampleDecision decide(PacketHeader record) {
        int recordRate = Math.max(1, record.getSampleRate()); // a record of rate 0 would be malformed: take it as 1
        Long hash = record.getPacketHash();
        if (hash == null) {
            return unchanged(SampleDecision.Reason.NO_HASH, recordRate);
        }
        if (keepTcpControl && isTcpControl(record)) {
            return unchanged(SampleDecision.Reason.TCP_CONTROL, recordRate);
        }
        if (keepL7 && hasL7Message(record)) {
            return unchanged(SampleDecision.Reason.L7, recordRate);
        }
        if (!selects(hash, rate)) {
            return SampleDecision.DROPPED;
        }
        return new SampleDecision(true, (long) recordRate * rate, SampleDecision.Reason.SAMPLED_IN);
    }

    /** {@code decide(record).keep()}. */
    public boolean keep(PacketHeader record) {
        return decide(record).keep();
    }

    /**
     * The stream's hash decision at 1 in {@code rate}: true for {@code ceil(2^32 / rate)} of the 2^32
     * values of the hash's high 32 bits (exactly 1/rate for a power of two), the kernel's formula on the
     * other half of the hash.
     */
    public static boolean selects(long packetHash, int rate) {
        if (rate < 1) {
            throw new IllegalArgumentException("sample rate must be at least 1, got " + rate);
        }
        return ((packetHash >>> 32) * rate) >>> 32 == 0;
    }

    static boolean isTcpControl(PacketHeader record) {
        Tcp tcp = record.getTcp();
        return tcp != null && (tcp.getFlags() & (TCP_SYN | TCP_FIN | TCP_RST)) != 0;
    }

    static boolean hasL7Message(PacketHeader record) {
        return record.getHttp() != null || record.getDns() != null || record.getTls() != null;
    }

    private static SampleDecision unchanged(SampleDecision.Reason reason, int recordRate) {
        return recordRate == 1 ? UNCHANGED_RATE_ONE[reason.ordinal()] : new SampleDecision(true, recordRate, reason);
    }

    @Override
    public String toString() {
        return "ConsistentSampler[1 in " + rate + (keepTcpControl ? ", keep TCP control" : "")
                + (keepL7 ? ", keep L7" : "") + "]";
    }
}
