package io.headerlog.streams.stats;

import io.headerlog.schema.StreamsClockCounts;
import io.headerlog.schema.StreamsCorrelationCounts;
import io.headerlog.schema.StreamsHttpCounts;
import io.headerlog.schema.StreamsRecordCounts;
import io.headerlog.schema.StreamsStats;
import io.headerlog.streams.EnrichCounters;
import io.headerlog.streams.clock.MatcherTotals;
import io.headerlog.streams.correlate.CorrelationCounters;
import io.headerlog.streams.http.HttpCounters;
import java.time.Duration;

/**
 * Builds the StreamsStats record of one instance from its in-memory counters: one group per stream
 * function, each read from the counters object that function writes.
 *
 * <p>A new stream function (flows.summary is next) adds its counters object to {@link EnrichCounters}
 * next to {@code correlation()} and {@code http()}, an optional group to StreamsStats.avsc
 * ({@code ["null", record]}, default null, so records of older instances still read), and one line
 * in {@link #of} that fills it.
 *
 * <p>Counters are read one by one while stream threads keep counting, so two numbers of one snapshot
 * may be a few records apart; every number is exact on the last snapshot, taken after the app stopped.
 */
public final class StreamsStatsRecords {
    private StreamsStatsRecords() {
    }

    /**
     * The snapshot at {@code timeNs}.
     *
     * @param state the Kafka Streams state now (its name, e.g. RUNNING)
     * @param last  true for the snapshot taken after the instance stopped
     */
    public static StreamsStats of(StreamsInstance instance, long timeNs, Duration interval, String state, boolean last,
            EnrichCounters counters) {
        return StreamsStats.newBuilder()
                .setApplicationId(instance.applicationId())
                .setInstanceId(instance.instanceId())
                .setStartedAtNs(instance.startedAtNs())
                .setTimeNs(timeNs)
                .setIntervalMs(interval.toMillis())
                .setState(state)
                .setLast(last)
                .setRecords(records(counters))
                .setClock(clock(counters.clockMatcher()))
                .setCorrelation(correlation(counters.correlation()))
                .setHttp(http(counters.http()))
                .build();
    }

    static StreamsRecordCounts records(EnrichCounters c) {
        long out = c.recordsOut();
        long aligned = c.aligned();
        return StreamsRecordCounts.newBuilder()
                .setRecordsIn(c.recordsIn())
                .setRecordsOut(out)
                .setFilteredOut(c.filteredOut())
                .setSampledOut(c.sampledOut())
                .setDeadLetters(c.deadLetters())
                .setUndecodable(c.deserializationFailures())
                .setNullValues(c.nullValues())
                .setAligned(aligned)
                .setAlignedShare(share(aligned, out))
                .build();
    }

    static StreamsClockCounts clock(MatcherTotals m) {
        return StreamsClockCounts.newBuilder()
                .setObservations(m.observations())
                .setSamples(m.samples())
                .setExpired(m.expired())
                .setEvicted(m.evicted())
                .setUnmatched(m.unmatched())
                .setAmbiguous(m.ambiguous())
                .setInconsistent(m.inconsistent())
                .setInFlight(m.inFlight())
                .build();
    }

    static StreamsCorrelationCounts correlation(CorrelationCounters c) {
        long matched = c.observationsMatched();
        long missed = c.observationsSingleHostInSharedFlow();
        return StreamsCorrelationCounts.newBuilder()
                .setObservations(c.observations())
                .setPacketsCorrelated(c.packetsCorrelated())
                .setObservationsMatched(matched)
                .setPacketsSingleHost(c.packetsSingleHost())
                .setObservationsSingleHostInSharedFlow(missed)
                .setPacketsAmbiguous(c.packetsAmbiguous())
                .setLate(c.late())
                .setPacketsEvicted(c.packetsEvicted())
                .setOpenPackets(c.openPackets())
                // computed from the two numbers written next to it, so the record is consistent in itself
                .setMatchRate(share(matched, matched + missed))
                .build();
    }

    static StreamsHttpCounts http(HttpCounters c) {
        long joined = c.joined();
        long clientOnly = c.clientOnly();
        long serverOnly = c.serverOnly();
        // transactions as the sum of its kinds, read once: the record's numbers add up exactly
        long transactions = joined + clientOnly + serverOnly;
        return StreamsHttpCounts.newBuilder()
                .setRequests(c.requests())
                .setResponses(c.responses())
                .setTransactions(transactions)
                .setJoined(joined)
                .setJoinedByTraceparent(c.joinedByTraceparent())
                .setClientOnly(clientOnly)
                .setServerOnly(serverOnly)
                .setUnansweredViews(c.unansweredViews())
                .setOrphanResponses(c.orphanResponses())
                .setLateRecords(c.lateRecords())
                .setLateViews(c.lateViews())
                .setEvictedRequests(c.evictedRequests())
                .setEvictedViews(c.evictedViews())
                .setEvictedConnections(c.evictedConnections())
                .setMatchRate(share(joined, transactions))
                .build();
    }

    /** part ÷ whole, or null when there is no whole yet (a rate of nothing is unknown, not 0). */
    static Double share(long part, long whole) {
        return whole <= 0 ? null : (double) part / whole;
    }
}
