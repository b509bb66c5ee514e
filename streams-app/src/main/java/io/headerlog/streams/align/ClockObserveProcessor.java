package io.headerlog.streams.align;

import io.headerlog.schema.PacketHeader;
import io.headerlog.streams.EnrichCounters;
import io.headerlog.streams.clock.ClockSample;
import io.headerlog.streams.clock.HandshakeMatcher;
import io.headerlog.streams.clock.MatcherConfig;
import io.headerlog.streams.clock.MatcherStats;
import io.headerlog.streams.clock.Observation;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Finds clock samples in the raw stream: a TCP handshake, ICMP echo or DNS exchange whose request
 * and response were each seen leaving one host and reaching the other. Every host's records of one
 * flow share a partition (the collectors key by Community ID), so each task sees whole exchanges
 * and nothing is repartitioned on the hot path; only the few samples go on, keyed by host pair.
 *
 * <p>The matcher's half-finished exchanges live in memory: after a rebalance or restart the
 * exchanges in flight (seconds' worth) are missed, which costs the model a few samples, not
 * correctness. Persisting them would cost a store write per handshake packet.
 *
 * <p>The matcher's counters are added to the instance's {@link io.headerlog.streams.clock.MatcherTotals}
 * once a second (wall clock) and when the task closes, as the change since the last report: the
 * matcher itself stays single-threaded and a record costs no atomic update.
 */
public final class ClockObserveProcessor implements Processor<String, PacketHeader, String, ClockSample> {
    private static final String EGRESS = "egress";
    private static final Duration REPORT_INTERVAL = Duration.ofSeconds(1);

    private final MatcherConfig matcherConfig;
    private final EnrichCounters counters;
    private ProcessorContext<String, ClockSample> context;
    private HandshakeMatcher matcher;
    private MatcherStats reported = MatcherStats.NONE;

    public ClockObserveProcessor(MatcherConfig matcherConfig, EnrichCounters counters) {
        this.matcherConfig = matcherConfig;
        this.counters = counters;
    }

    @Override
    public void init(ProcessorContext<String, ClockSample> context) {
        this.context = context;
        this.matcher = new HandshakeMatcher(matcherConfig);
        this.reported = MatcherStats.NONE;
        context.schedule(REPORT_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> report(matcher.stats()));
    }

    @Override
    public void close() {
        // The matcher goes with the task: its exchanges are no longer held anywhere.
        if (matcher != null) {
            report(matcher.stats().withNothingInFlight());
        }
    }

    private void report(MatcherStats now) {
        counters.clockMatcher().add(now.minus(reported));
        reported = now;
    }

    @Override
    public void process(Record<String, PacketHeader> record) {
        PacketHeader h = record.value();
        if (h == null || record.key() == null) {
            return;
        }
        Optional<Observation> o = observation(h, record.key());
        if (o.isEmpty()) {
            return;
        }
        for (ClockSample s : matcher.offer(o.get())) {
            counters.recordClockSample();
            context.forward(new Record<>(s.hostA() + "|" + s.hostB(), s, record.timestamp()));
        }
    }

    /** The exchange packet this record is, if any. */
    public static Optional<Observation> observation(PacketHeader h, String flowKey) {
        // Further application messages of one packet repeat its fields: one sighting per packet.
        if (h.getPacketHash() == null || h.getAppMessageIndex() != 0 || h.getHost().isBlank()) {
            return Optional.empty();
        }
        boolean egress = EGRESS.equals(h.getDirection());
        long t = h.getCaptureTimeNs();
        long hash = h.getPacketHash();
        if (h.getTcp() != null) {
            return Observation.tcpHandshake(h.getHost(), egress, t, hash, flowKey, h.getTcp().getFlags());
        }
        if (h.getIcmp() != null && h.getIcmp().getEchoId() != null && h.getIcmp().getEchoSeq() != null) {
            int type = h.getIcmp().getType();
            boolean request = type == 8 || type == 128;
            boolean reply = type == 0 || type == 129;
            if (request || reply) {
                return Optional.of(Observation.icmpEcho(h.getHost(), egress, t, hash, flowKey, reply,
                        h.getIcmp().getEchoId(), h.getIcmp().getEchoSeq()));
            }
            return Optional.empty();
        }
        if (h.getDns() != null && h.getUdp() != null) {
            return Optional.of(Observation.dns(h.getHost(), egress, t, hash, flowKey, h.getDns().getResponse(),
                    h.getDns().getId()));
        }
        return Optional.empty();
    }
}
