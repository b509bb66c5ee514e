package io.headerlog.streams.sampling;

import java.util.Objects;

/**
 * What the stream's {@link ConsistentSampler} decided for one record.
 *
 * @param keep       whether the record goes on
 * @param sampleRate for a kept record, the packets it stands for after both stages: its own
 *                   {@code sampleRate} times the stream's rate when the hash selected it, unchanged
 *                   when it was kept regardless; 0 for a dropped record. A long: the product of a
 *                   kernel rate and a stream rate can exceed an int (the schema's field is an int, so
 *                   the caller checks it fits, e.g. with {@link Math#toIntExact}).
 * @param reason     why
 */
public record SampleDecision(boolean keep, long sampleRate, Reason reason) {
    /** Why a record was kept or dropped; the order of the checks is the kernel's (bpf/capture.bpf.c hl_keep). */
    public enum Reason {
        /** No packetHash (not IP): never sampled, as in the kernel. */
        NO_HASH,
        /** TCP SYN, FIN or RST, kept whatever its hash (keepTcpControl). */
        TCP_CONTROL,
        /** Carries an HTTP, DNS or TLS message (keepL7), kept whatever its hash. */
        L7,
        /** The high 32 bits of packetHash selected it. */
        SAMPLED_IN,
        /** The high 32 bits of packetHash did not select it. */
        SAMPLED_OUT
    }

    public SampleDecision {
        Objects.requireNonNull(reason, "reason");
        if (keep != (reason != Reason.SAMPLED_OUT)) {
            throw new IllegalArgumentException("only SAMPLED_OUT drops, got keep=" + keep + " for " + reason);
        }
        if (keep ? sampleRate < 1 : sampleRate != 0) {
            throw new IllegalArgumentException("sample rate " + sampleRate + " for keep=" + keep);
        }
    }

    static final SampleDecision DROPPED = new SampleDecision(false, 0, Reason.SAMPLED_OUT);
}
