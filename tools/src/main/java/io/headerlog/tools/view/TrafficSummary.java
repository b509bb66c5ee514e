package io.headerlog.tools.view;

import io.headerlog.schema.ClockOffset;
import io.headerlog.schema.CollectorStats;
import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.Ip;
import io.headerlog.schema.PacketHeader;
import io.headerlog.schema.StreamsStats;
import io.headerlog.schema.Tcp;
import io.headerlog.schema.Udp;
import io.headerlog.tools.view.AppMessages.Message;
import io.headerlog.tools.view.ProtocolClass.IpVersion;
import io.headerlog.tools.view.SummarySnapshot.CollectorHealth;
import io.headerlog.tools.view.SummarySnapshot.HostDirectionRate;
import io.headerlog.tools.view.SummarySnapshot.AppMessageLine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Aggregates enriched headers, collector stats, clock estimates and streams-app stats between refreshes. Not
 * thread-safe: the view's single poll loop feeds it and takes snapshots.
 */
public final class TrafficSummary {
    /** Distinct clock estimates kept per host, to show the estimate converging. */
    static final int CLOCK_HISTORY = 4;
    /**
     * How far back the clock history reaches from the newest estimate: the clock model's window
     * (docs/clock-model.md), so older estimates, which share no samples with the newest (an earlier
     * run of the streams app, say), are not shown as part of its convergence.
     */
    static final long CLOCK_HISTORY_SPAN_MS = 120_000;

    private final int messageLines;
    private final Map<String, Map<String, HostDirectionCounts>> byHostAndDirection = new TreeMap<>();
    private final Map<IpVersion, Map<ProtocolClass, Long>> protocolPackets = new EnumMap<>(IpVersion.class);
    // newest lines per protocol (http, dns, tls), each with its arrival number: a snapshot shows the
    // newest line of every protocol seen, then the newest of the rest, so a chatty protocol (HTTP in
    // the demo) cannot push the others off the screen
    private final Map<String, ArrayDeque<Arrival>> messages = new TreeMap<>();
    private long arrivals;
    private final Map<MessageKind, Long> messageCounts = new EnumMap<>(MessageKind.class);
    private final Map<String, CollectorStats> collectors = new TreeMap<>();
    private final LatencyStats latency = new LatencyStats();
    private final ClockTable clocks = new ClockTable(CLOCK_HISTORY, CLOCK_HISTORY_SPAN_MS);
    private final StreamsTable streams;
    private long lastSnapshotMs;
    private long totalRecords;
    private long undecodable;
    private String lastUndecodable;
    private boolean changed;

    /**
     * @param startMs      wall-clock time the view started; the first interval runs from here
     * @param messageLines how many of the newest application message lines to keep (0: none, the
     *                     counters still count)
     */
    public TrafficSummary(long startMs, int messageLines) {
        if (messageLines < 0) {
            throw new IllegalArgumentException("message lines must be >= 0, was " + messageLines);
        }
        this.lastSnapshotMs = startMs;
        this.streams = new StreamsTable(startMs);
        this.messageLines = messageLines;
        for (MessageKind kind : MessageKind.values()) {
            messageCounts.put(kind, 0L);
        }
    }

    public void add(EnrichedHeader record) {
        PacketHeader h = record.getHeader();
        for (Message m : AppMessages.of(h)) {
            messageCounts.merge(m.kind(), 1L, Long::sum);
            if (messageLines > 0) {
                ArrayDeque<Arrival> lines = messages.computeIfAbsent(protocolOf(m.kind()), k -> new ArrayDeque<>());
                if (lines.size() == messageLines) {
                    lines.removeFirst();
                }
                lines.addLast(new Arrival(arrivals++, messageLine(h, m)));
            }
        }
        changed = true;
        if (h.getAppMessageIndex() > 0) {
            // The collector repeats a packet's record to carry each further message that began in
            // it (pipelining); the packet itself was counted with its own record.
            return;
        }
        // A record stands for gsoSegs wire packets, and each was kept at 1 in sampleRate.
        long packets = (long) Math.max(1, h.getGsoSegs()) * Math.max(1, h.getSampleRate());
        byHostAndDirection.computeIfAbsent(h.getHost(), k -> new TreeMap<>())
                .computeIfAbsent(h.getDirection(), k -> new HostDirectionCounts())
                .add(packets);
        IpVersion version = IpVersion.of(h);
        ProtocolClass protocol = h.getIp() == null ? ProtocolClass.OTHER : ProtocolClass.of(h.getIp());
        protocolPackets.computeIfAbsent(version, k -> new EnumMap<>(ProtocolClass.class))
                .merge(protocol, packets, Long::sum);
        latency.add(record.getProcessedAtMs() - Math.floorDiv(h.getCaptureTimeNs(), 1_000_000L));
        clocks.countRecord(h.getHost(), record.getAlignedTimeNs() != null);
        totalRecords++;
    }

    public void add(CollectorStats stats) {
        // Counters are cumulative, so the newest snapshot per host is all the view needs; records
        // can arrive out of order across partitions, hence the time check.
        collectors.merge(stats.getHost(), stats, (old, now) -> now.getTimeNs() >= old.getTimeNs() ? now : old);
        clocks.sawHost(stats.getHost());
        changed = true;
    }

    public void add(ClockOffset estimate) {
        clocks.add(estimate);
        changed = true;
    }

    public void add(StreamsStats stats) {
        streams.add(stats);
        changed = true;
    }

    /** Counts a record the view could not decode; {@code reason} is shown with the count. */
    public void addUndecodable(String reason) {
        undecodable++;
        lastUndecodable = reason;
        changed = true;
    }

    /** Whether any record arrived since the last snapshot, i.e. a new snapshot would show more. */
    public boolean changedSinceSnapshot() {
        return changed;
    }

    /** The figures at {@code nowMs}; rates and latency cover the time since the previous snapshot. */
    public SummarySnapshot snapshot(long nowMs) {
        double seconds = Math.max(1, nowMs - lastSnapshotMs) / 1000.0;
        lastSnapshotMs = nowMs;
        changed = false;
        List<HostDirectionRate> rates = new ArrayList<>();
        byHostAndDirection.forEach((host, directions) -> directions.forEach((direction, c) -> {
            rates.add(new HostDirectionRate(host, direction, c.intervalRecords / seconds,
                    c.intervalPackets / seconds, c.totalRecords, c.totalPackets));
            c.intervalRecords = 0;
            c.intervalPackets = 0;
        }));
        Map<IpVersion, Map<ProtocolClass, Long>> protocols = new EnumMap<>(IpVersion.class);
        protocolPackets.forEach((v, m) -> protocols.put(v, Collections.unmodifiableMap(new EnumMap<>(m))));
        List<CollectorHealth> health = collectors.values().stream()
                .map(s -> new CollectorHealth(s.getHost(), s.getTimeNs(), s.getRingBufferFull(),
                        s.getPublishErrors(), s.getDecodeErrors(), s.getRecordsPublished(), s.getPacketsSeen(),
                        s.getFiltered(), s.getSampledOut(), s.getSampleRate()))
                .toList();
        return new SummarySnapshot(nowMs, seconds, totalRecords, undecodable, lastUndecodable, List.copyOf(rates),
                Collections.unmodifiableMap(protocols), Collections.unmodifiableMap(new EnumMap<>(messageCounts)),
                newestLines(), health, clocks.snapshot(), streams.snapshot(), latency.drain());
    }

    private record Arrival(long number, AppMessageLine line) {}

    private static String protocolOf(MessageKind kind) {
        String label = kind.label();
        int dash = label.indexOf('-');
        return dash < 0 ? label : label.substring(0, dash);
    }

    /** The newest line of each protocol, then the newest others, up to messageLines, in arrival order. */
    private List<AppMessageLine> newestLines() {
        List<Arrival> chosen = new ArrayList<>();
        messages.values().forEach(lines -> {
            if (!lines.isEmpty() && chosen.size() < messageLines) {
                chosen.add(lines.peekLast());
            }
        });
        List<Arrival> rest = new ArrayList<>();
        messages.values().forEach(lines -> lines.forEach(a -> {
            if (a != lines.peekLast()) {
                rest.add(a);
            }
        }));
        rest.sort((x, y) -> Long.compare(y.number(), x.number()));
        for (Arrival a : rest) {
            if (chosen.size() >= messageLines) {
                break;
            }
            chosen.add(a);
        }
        chosen.sort((x, y) -> Long.compare(x.number(), y.number()));
        return chosen.stream().map(Arrival::line).toList();
    }

    private static AppMessageLine messageLine(PacketHeader h, Message m) {
        Ip ip = h.getIp();
        Tcp tcp = h.getTcp();
        Udp udp = h.getUdp();
        int srcPort = tcp != null ? tcp.getSrcPort() : udp != null ? udp.getSrcPort() : -1;
        int dstPort = tcp != null ? tcp.getDstPort() : udp != null ? udp.getDstPort() : -1;
        String from = ip == null ? "?" : endpoint(ip.getSrc(), srcPort, ip.getVersion());
        String to = ip == null ? "?" : endpoint(ip.getDst(), dstPort, ip.getVersion());
        return new AppMessageLine(h.getCaptureTimeNs(), h.getHost(), h.getDirection(), from, to, m.kind(), m.text());
    }

    private static String endpoint(String address, int port, int ipVersion) {
        if (port < 0) {
            return address;
        }
        return ipVersion == 6 ? "[" + address + "]:" + port : address + ":" + port;
    }

    private static final class HostDirectionCounts {
        long intervalRecords;
        long intervalPackets;
        long totalRecords;
        long totalPackets;

        void add(long packets) {
            intervalRecords++;
            intervalPackets += packets;
            totalRecords++;
            totalPackets += packets;
        }
    }
}
