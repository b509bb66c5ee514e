package io.headerlog.benchmarks.streams;

import io.headerlog.benchmarks.capture.Table;
import io.headerlog.benchmarks.streams.OutputCounter.Throughput;
import io.headerlog.streams.EnrichCounters;
import io.headerlog.streams.correlate.CorrelationCounters;
import io.headerlog.streams.http.HttpCounters;
import java.io.PrintStream;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** The benchmark's figures as plain-text tables, each with the target it is held against. */
final class StreamsReport {
    private StreamsReport() {
    }

    static void throughput(PrintStream out, long records, Throughput pass, Throughput full, EnrichCounters counters) {
        double ratio = full.recordsPerSecond() / pass.recordsPerSecond();
        Table t = new Table("THROUGHPUT: " + records + " records, exactly_once_v2, commit 200 ms, 6 partitions, one stream thread",
                "topology", "records/s", "seconds", "start-up s", "ratio");
        t.row("pass-through (same serde)", Table.count(pass.recordsPerSecond()), Table.fixed(pass.seconds(), 1),
                Table.fixed(pass.startupSeconds(), 1), "1.000");
        t.row("full enrich topology", Table.count(full.recordsPerSecond()), Table.fixed(full.seconds(), 1),
                Table.fixed(full.startupSeconds(), 1), Table.ratio(ratio));
        t.note(String.format(Locale.ROOT, "target: full >= %.1f x pass-through -> %s", StreamsBenchmark.TARGET_RATIO,
                ratio >= StreamsBenchmark.TARGET_RATIO ? "met" : "NOT met"));
        t.note("records/s: output records a read_committed reader saw, from the first to the last (start-up left out)");
        CorrelationCounters c = counters.correlation();
        HttpCounters h = counters.http();
        t.note(String.format(Locale.ROOT, "the full topology did the work: %d packets correlated (match rate %s), %d HTTP"
                        + " transactions (%d joined), %d clock samples, %s of records aligned, %d dead letters",
                c.packetsCorrelated(), Table.percent(100 * c.matchRate()), h.transactions(), h.joined(),
                counters.clockSamples(), Table.percent(100.0 * counters.aligned() / Math.max(1, counters.recordsOut())),
                counters.deadLetters()));
        t.print(out);
    }

    static void latency(PrintStream out, long rate, int seconds, int warmup, Histogram pass, Histogram full) {
        Table t = new Table(String.format(Locale.ROOT, "LATENCY capture -> read_committed reader at %d records/s for %d s"
                + " (first %d s not measured)", rate, seconds, warmup), "topology", "records", "p50 ms", "p99 ms", "max ms");
        row(t, "pass-through (same serde)", pass);
        row(t, "full enrich topology", full);
        double p99 = full.getValueAtPercentile(99) / 1000.0;
        t.note(String.format(Locale.ROOT, "target: full p99 <= %d ms -> %s", StreamsBenchmark.TARGET_P99_MS,
                full.getTotalCount() > 0 && p99 <= StreamsBenchmark.TARGET_P99_MS ? "met" : "NOT met"));
        t.note("capture time = the record's captureTimeNs (the synthetic hosts' clocks are true); output time = when poll"
                + " returned it; the producer lingers 20 ms like the collector's, exactly-once output appears at commits");
        t.print(out);
    }

    static String latencyLine(Histogram h) {
        return String.format(Locale.ROOT, "%d records: p50 %.0f ms, p99 %.0f ms, max %.0f ms", h.getTotalCount(),
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
    }

    private static void row(Table t, String name, Histogram h) {
        t.row(name, Long.toString(h.getTotalCount()), Table.fixed(h.getValueAtPercentile(50) / 1000.0, 0),
                Table.fixed(h.getValueAtPercentile(99) / 1000.0, 0), Table.fixed(h.getMaxValue() / 1000.0, 0));
    }
}
