package io.headerlog.streams.correlate;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts of the packet correlation in one running instance, summed over its tasks. Stream threads
 * write, a status thread reads; plain atomics, each number read on its own.
 *
 * <p>Every observation (a record with a label that is not an application-message copy) ends in
 * exactly one bucket, so for an instance that started with empty state
 * {@code observations = matched + singleHost + ambiguous + late + open}. (State restored from the
 * changelog adds to {@link #openObservations} without having been counted as observations here.)
 *
 * <p>Match rate: {@link #matchRate} = matched ÷ (matched + single-host sightings whose flow this
 * task saw at two or more hosts) — of the sightings that could have found a partner, the share
 * that did. A flow seen at one host only (traffic leaving the observed network) cannot match and
 * is left out; {@link #matchedShare} gives the plain matched ÷ closed for comparison.
 */
public final class CorrelationCounters {
    private final AtomicLong observations = new AtomicLong();
    private final AtomicLong skippedCopies = new AtomicLong();
    private final AtomicLong skippedUnlabelled = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong packetsCorrelated = new AtomicLong();
    private final AtomicLong observationsMatched = new AtomicLong();
    private final AtomicLong packetsSingleHost = new AtomicLong();
    private final AtomicLong observationsSingleHost = new AtomicLong();
    private final AtomicLong observationsSingleHostInSharedFlow = new AtomicLong();
    private final AtomicLong packetsAmbiguous = new AtomicLong();
    private final AtomicLong observationsAmbiguous = new AtomicLong();
    private final AtomicLong packetsEvicted = new AtomicLong();
    private final AtomicLong openPackets = new AtomicLong();
    private final AtomicLong openObservations = new AtomicLong();

    void recordObservation() {
        observations.incrementAndGet();
    }

    void recordSkippedCopy() {
        skippedCopies.incrementAndGet();
    }

    void recordSkippedUnlabelled() {
        skippedUnlabelled.incrementAndGet();
    }

    void recordLate() {
        late.incrementAndGet();
    }

    void recordOpened(int packets, long sightings) {
        openPackets.addAndGet(packets);
        openObservations.addAndGet(sightings);
    }

    void recordCorrelated(int sightings) {
        packetsCorrelated.incrementAndGet();
        observationsMatched.addAndGet(sightings);
    }

    void recordSingleHost(int sightings, boolean sharedFlow) {
        packetsSingleHost.incrementAndGet();
        observationsSingleHost.addAndGet(sightings);
        if (sharedFlow) {
            observationsSingleHostInSharedFlow.addAndGet(sightings);
        }
    }

    void recordAmbiguous(int sightings) {
        packetsAmbiguous.incrementAndGet();
        observationsAmbiguous.addAndGet(sightings);
    }

    void recordEvicted() {
        packetsEvicted.incrementAndGet();
    }

    /** Records taken into correlation: labelled, not an application-message copy. */
    public long observations() {
        return observations.get();
    }

    /** Records skipped because they repeat a packet's fields for a further application message (appMessageIndex > 0). */
    public long skippedCopies() {
        return skippedCopies.get();
    }

    /** Records skipped because they carry no packetHash label. */
    public long skippedUnlabelled() {
        return skippedUnlabelled.get();
    }

    /** Observations that arrived after their packet's window and grace (or after it was emitted): dropped. */
    public long late() {
        return late.get();
    }

    /** CorrelatedPacket records emitted (packets seen at two or more hosts). */
    public long packetsCorrelated() {
        return packetsCorrelated.get();
    }

    /** Observations inside emitted CorrelatedPackets. */
    public long observationsMatched() {
        return observationsMatched.get();
    }

    /** Packets closed with sightings at one host only (nothing emitted). */
    public long packetsSingleHost() {
        return packetsSingleHost.get();
    }

    public long observationsSingleHost() {
        return observationsSingleHost.get();
    }

    /** Single-host observations whose flow was seen at another host too: they should have matched. */
    public long observationsSingleHostInSharedFlow() {
        return observationsSingleHostInSharedFlow.get();
    }

    /** Packets whose label was seen twice at one observation point (see OpenPacket): not emitted. */
    public long packetsAmbiguous() {
        return packetsAmbiguous.get();
    }

    public long observationsAmbiguous() {
        return observationsAmbiguous.get();
    }

    /** Packets closed early because the task reached its open-packet bound (also counted by outcome). */
    public long packetsEvicted() {
        return packetsEvicted.get();
    }

    /** Packets open now, over this instance's tasks. */
    public long openPackets() {
        return openPackets.get();
    }

    /** Observations in open packets now. */
    public long openObservations() {
        return openObservations.get();
    }

    /** matched ÷ (matched + single-host in shared flows); NaN before anything could match. */
    public double matchRate() {
        long matched = observationsMatched.get();
        long shouldHave = matched + observationsSingleHostInSharedFlow.get();
        return shouldHave == 0 ? Double.NaN : (double) matched / shouldHave;
    }

    /** matched ÷ every closed observation (matched, single-host, ambiguous); NaN before any closed. */
    public double matchedShare() {
        long matched = observationsMatched.get();
        long closed = matched + observationsSingleHost.get() + observationsAmbiguous.get();
        return closed == 0 ? Double.NaN : (double) matched / closed;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "observations=%d correlated=%d (matched=%d) single-host=%d (in shared flows=%d) ambiguous=%d late=%d"
                        + " evicted=%d open=%d match-rate=%.3f skipped-copies=%d unlabelled=%d",
                observations(), packetsCorrelated(), observationsMatched(), packetsSingleHost(),
                observationsSingleHostInSharedFlow(), packetsAmbiguous(), late(), packetsEvicted(), openPackets(),
                matchRate(), skippedCopies(), skippedUnlabelled());
    }
}
