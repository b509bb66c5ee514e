package io.headerlog.tools.view;

import io.headerlog.tools.view.LatencyStats.Latency;
import io.headerlog.tools.view.ProtocolClass.IpVersion;
import io.headerlog.tools.view.SummarySnapshot.CollectorHealth;
import io.headerlog.tools.view.SummarySnapshot.HostDirectionRate;
import io.headerlog.tools.view.SummarySnapshot.AppMessageLine;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/** Renders a snapshot as fixed-width text, one section per concern, for a terminal or a log. */
public final class SummaryRenderer {
    static final int HOST_WIDTH = 16;

    private final DateTimeFormatter clock;
    private final DateTimeFormatter clockMillis;

    /** @param zone the zone times are shown in (the viewer's, normally) */
    public SummaryRenderer(ZoneId zone) {
        this.clock = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT).withZone(zone);
        this.clockMillis = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(zone);
    }

    public String render(SummarySnapshot s) {
        StringBuilder out = new StringBuilder(2048);
        line(out, "headerlog live view  %s  (last %.1f s)  records %d  undecodable %d%s",
                clock.format(Instant.ofEpochMilli(s.atMs())), s.intervalSeconds(), s.totalRecords(), s.undecodable(),
                s.lastUndecodable() == null ? "" : "  (last: " + s.lastUndecodable() + ")");
        renderRates(out, s);
        renderProtocols(out, s.protocolPackets());
        renderMessageCounts(out, s.messageCounts());
        renderMessages(out, s);
        renderCollectors(out, s);
        ClockSection.render(out, s);
        StreamsSection.render(out, s, clock);
        renderLatency(out, s);
        return out.toString();
    }

    private static void renderRates(StringBuilder out, SummarySnapshot s) {
        line(out, "%-" + (HOST_WIDTH + 11) + "s %10s %10s %12s %12s", "PACKETS (host, direction)",
                "rec/s", "pkt/s", "records", "packets");
        if (s.rates().isEmpty()) {
            line(out, "  (no enriched records yet)");
        }
        for (HostDirectionRate r : s.rates()) {
            line(out, "  %-" + HOST_WIDTH + "s %-8s %10.1f %10.1f %12d %12d", fit(r.host()), fit(r.direction(), 8),
                    r.recordsPerSecond(), r.packetsPerSecond(), r.totalRecords(), r.totalPackets());
        }
    }

    private static void renderProtocols(StringBuilder out, Map<IpVersion, Map<ProtocolClass, Long>> packets) {
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-18s", "PROTOCOLS (packets)"));
        for (ProtocolClass p : ProtocolClass.values()) {
            header.append(String.format(Locale.ROOT, " %10s", p.label()));
        }
        line(out, "%s", header);
        if (packets.isEmpty()) {
            line(out, "  (none yet)");
        }
        for (IpVersion v : IpVersion.values()) {
            Map<ProtocolClass, Long> counts = packets.get(v);
            if (counts == null) {
                continue;
            }
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-16s", v.label()));
            for (ProtocolClass p : ProtocolClass.values()) {
                row.append(String.format(Locale.ROOT, " %10d", counts.getOrDefault(p, 0L)));
            }
            line(out, "%s", row);
        }
    }

    private static void renderMessageCounts(StringBuilder out, Map<MessageKind, Long> counts) {
        StringBuilder row = new StringBuilder("MESSAGES ");
        String separator = "";
        for (MessageKind kind : MessageKind.values()) {
            row.append(separator).append(kind.label()).append(' ').append(counts.getOrDefault(kind, 0L));
            separator = "  ";
        }
        line(out, "%s", row);
    }

    private void renderMessages(StringBuilder out, SummarySnapshot s) {
        line(out, "APPLICATION MESSAGES (latest seen, in arrival order)");
        if (s.messages().isEmpty()) {
            line(out, "  (none yet)");
        }
        for (AppMessageLine m : s.messages()) {
            line(out, "  %s %-" + HOST_WIDTH + "s %-8s %s -> %s  %s",
                    clockMillis.format(Instant.ofEpochSecond(0, m.captureTimeNs())), fit(m.host()),
                    fit(m.direction(), 8), m.from(), m.to(), m.text());
        }
    }

    private void renderCollectors(StringBuilder out, SummarySnapshot s) {
        line(out, "%-" + (HOST_WIDTH + 2) + "s %10s %9s %11s %6s %10s %11s %10s %10s  %s", "COLLECTORS", "seen",
                "filtered", "sampled-out", "rate", "ring-full", "publish-err", "decode-err", "published", "stats at");
        if (s.collectors().isEmpty()) {
            line(out, "  (no collector.stats yet)");
        }
        for (CollectorHealth c : s.collectors()) {
            line(out, "  %-" + HOST_WIDTH + "s %10d %9d %11d %6s %10d %11d %10d %10d  %s", fit(c.host()), c.packetsSeen(),
                    c.filtered(), c.sampledOut(), "1/" + c.sampleRate(), c.ringBufferFull(), c.publishErrors(),
                    c.decodeErrors(), c.recordsPublished(), clock.format(Instant.ofEpochSecond(0, c.timeNs())));
        }
    }

    private static void renderLatency(StringBuilder out, SummarySnapshot s) {
        Latency l = s.latency();
        if (l.samples() == 0) {
            line(out, "LATENCY capture -> enriched (last %.1f s): no records", s.intervalSeconds());
        } else {
            line(out, "LATENCY capture -> enriched (last %.1f s): p50 %d ms  max %d ms  (%d records)",
                    s.intervalSeconds(), l.p50Ms(), l.maxMs(), l.samples());
        }
    }

    static String fit(String text) {
        return fit(text, HOST_WIDTH);
    }

    // Long host names would shift every column; cut them, marking the cut.
    static String fit(String text, int width) {
        return text.length() <= width ? text : text.substring(0, width - 1) + "~";
    }

    static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
