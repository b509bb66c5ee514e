package io.headerlog.collector;

import io.headerlog.collector.CollectorConfig.CpuPriorityMode;
import io.headerlog.collector.CollectorConfig.SinkKind;
import io.headerlog.collector.bpf.BpfException;
import io.headerlog.collector.bpf.KernelCounters;
import io.headerlog.collector.bpf.NetInterface;
import io.headerlog.collector.bpf.RingBufferReader;
import io.headerlog.collector.decode.HttpMessages;
import io.headerlog.collector.decode.PacketDecoder;
import io.headerlog.collector.bpf.FilterRules;
import io.headerlog.collector.filters.FilterSource;
import io.headerlog.collector.pipeline.ApplicationLayer;
import io.headerlog.collector.pipeline.FlowExporter;
import io.headerlog.collector.pipeline.CaptureSession;
import io.headerlog.collector.pipeline.RecordPump;
import io.headerlog.collector.pipeline.StatsSnapshot;
import io.headerlog.collector.policy.HeaderPolicy;
import io.headerlog.collector.reassembly.ReassemblyLimits;
import io.headerlog.collector.sink.JsonLinesSink;
import io.headerlog.collector.sink.KafkaSink;
import io.headerlog.collector.sink.RecordSink;
import io.headerlog.collector.sink.SinkUnavailableException;
import io.headerlog.collector.time.WallClock;
import io.headerlog.metrics.AvroMetrics;
import io.headerlog.metrics.MetricsServer;
import io.headerlog.schema.CollectorStats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One collector, wired in one place: capture session (kernel) → ring reader → decoder → sink, plus
 * the counters that go out as CollectorStats. {@link #run} is the reader loop; it ends on
 * {@link #stop}, after the configured duration or packet count, or when stdout goes away.
 */
public final class Collector implements AutoCloseable {
    static final int DRAIN_BATCH = 4096;
    private static final Duration CLOCK_REMEASURE = Duration.ofSeconds(5);

    private final CollectorConfig config;
    private final CaptureSession session;
    private final RecordSink sink;
    private final PrintStream log;
    private final RecordPump pump;
    private final FilterSource filters;
    private final FlowExporter flows;
    private final long startedAtNs;
    /** Null with --cpu-priority normal, or once switching failed. */
    private AdaptivePriority priority;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private KernelCounters lastKernel;
    private long lastPublishErrors;
    private volatile CollectorStats lastStats;

    Collector(CollectorConfig config, HeaderPolicy policy, FilterSource filters, CaptureSession session,
              RecordSink sink, PrintStream log, AdaptivePriority priority) {
        this.config = config;
        this.priority = priority;
        this.session = session;
        this.sink = sink;
        this.log = log;
        WallClock clock = WallClock.system(CLOCK_REMEASURE, config.clockSkew());
        ApplicationLayer application = new ApplicationLayer(
                new HttpMessages(policy), ReassemblyLimits.defaults());
        this.pump = new RecordPump(new PacketDecoder(config.hostId(), session::interfaceName, clock), application, sink);
        this.filters = filters;
        this.flows = new FlowExporter(session.program().flows(), config.flows(), config.hostId(),
                session::interfaceName, clock, sink);
        this.startedAtNs = clock.toEpochNanos(System.nanoTime());
        this.lastKernel = session.program().readCounters();
        this.lastStats = snapshot(lastKernel);
    }

    /**
     * Runs a collector from start to end and returns the process exit status: 0 when it ran and
     * stopped normally, 1 when it could not start (the reason is one line on {@code err}).
     */
    public static int runUntilDone(CollectorConfig config, PrintStream out, PrintStream err) {
        // first, so that every thread started from here on (Kafka producer, flow exporter) inherits it
        AdaptivePriority priority = null;
        if (config.cpuPriority() == CpuPriorityMode.ADAPTIVE) {
            try {
                priority = AdaptivePriority.forRing(config.ringBytes(), err);
                priority.start();
            } catch (RuntimeException e) {
                priority = null;
                err.println("headerlog: warning: running at the priority it was started with: " + e.getMessage());
            }
        }
        HeaderPolicy policy;
        try {
            policy = HeaderPolicy.create(config.headerPolicy());
        } catch (RuntimeException e) {
            err.println("headerlog: error: header policy: " + e.getMessage());
            return 1;
        }
        FilterSource filters;
        try {
            filters = new FilterSource(config.filters(), config.filterFile());
        } catch (IllegalArgumentException e) {
            err.println("headerlog: error: filters: " + e.getMessage());
            return 1;
        }
        RecordSink sink;
        try {
            sink = config.sink() == SinkKind.KAFKA
                    ? KafkaSink.open(config.bootstrapServers(), config.registryUrl(), config.topic(), "headerlog-collector-" + config.hostId())
                    : new JsonLinesSink(out);
        } catch (SinkUnavailableException e) {
            err.println("headerlog: error: " + e.getMessage());
            return 1;
        }
        // The metrics port is bound before the programs are attached: a taken port then fails the start
        // without having touched the host's interfaces. Until the collector exists it serves no samples.
        AtomicReference<Collector> started = new AtomicReference<>();
        MetricsServer metrics;
        try {
            metrics = startMetrics(config, () -> {
                Collector c = started.get();
                return c == null ? null : c.lastStats();
            }, err);
        } catch (MetricsServer.UnavailableException e) {
            sink.close();
            err.println("headerlog: error: " + e.getMessage());
            return 1;
        }
        CaptureSession session;
        try {
            session = CaptureSession.open(config, filters.current());
        } catch (BpfException | IllegalStateException | IllegalArgumentException e) {
            sink.close();
            if (metrics != null) {
                metrics.close();
            }
            err.println("headerlog: error: " + e.getMessage());
            return 1;
        }
        Collector collector = new Collector(config, policy, filters, session, sink, err, priority);
        started.set(collector);
        // Ctrl-C and SIGTERM end the loop like --duration does, so the run ends with status 0 and a
        // summary, as tcpdump's does; the hook covers other ways the JVM may exit.
        StopSignals.onInterruptOrTerminate(collector::stop);
        Thread hook = new Thread(collector::stopAndWait, "headerlog-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            collector.run();
        } finally {
            collector.close();
            if (metrics != null) {
                metrics.close();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for close() above
            }
        }
        return 0;
    }

    /** The Prometheus endpoint of --metrics-listen over {@code latest}'s counters; null without the option. */
    private static MetricsServer startMetrics(CollectorConfig config, Supplier<CollectorStats> latest, PrintStream err) {
        if (config.metricsListen().isEmpty()) {
            return null;
        }
        PrometheusRegistry registry = new PrometheusRegistry();
        // every CollectorStats counter, as of the last stats interval
        AvroMetrics.register(registry, "headerlog_collector_", CollectorStats.SCHEMA$, latest, "host", "host", Set.of());
        MetricsServer metrics = MetricsServer.start(config.metricsListen().get(), registry, "--metrics-listen");
        err.println("headerlog: metrics on " + config.metricsListen().get().withPort(metrics.port()).metricsUrl());
        return metrics;
    }

    /** The reader loop. */
    public void run() {
        log.println("headerlog: capturing on " + describeTargets() + " → " + describeSink()
                + " as host " + config.hostId() + " (snaplen " + config.snapLen() + ", sample 1/"
                + config.sampling().rate() + (priority != null ? ", idle CPU priority while keeping up" : "") + ")");
        RingBufferReader reader = session.program().ringReader();
        long deadline = config.duration().isZero() ? Long.MAX_VALUE : System.nanoTime() + config.duration().toNanos();
        long statsEvery = config.statsInterval().toNanos();
        long nextStats = System.nanoTime() + statsEvery;
        int pollMillis = (int) config.pollInterval().toMillis();
        while (!stopRequested && System.nanoTime() < deadline && !countReached() && !sinkBroken()) {
            reader.awaitData(pollMillis);
            adaptPriority(reader.pendingBytes());
            int n = reader.drain(pump, batchLimit());
            pump.expireHeld(System.nanoTime());
            if (n == 0 || config.sink() == SinkKind.STDOUT) {
                sink.flush();
            }
            if (System.nanoTime() >= nextStats) {
                flows.exportDue(System.nanoTime());
                reloadFilters();
                publishStats();
                nextStats += statsEvery;
            }
        }
        // Detach first, then deliver what the kernel already handed over (at most one ring's worth):
        // with no new records arriving, the final stats account for every captured packet.
        session.detach();
        if (!countReached() && !sinkBroken()) {
            while (reader.drain(pump, batchLimit()) > 0 && !countReached()) {
                // keep draining
            }
        }
        // records held for a message that never completed go out as they are
        pump.flushHeld();
        flows.exportAll();
        sink.flush();
    }

    private void adaptPriority(long pendingBytes) {
        if (priority == null) {
            return;
        }
        try {
            priority.observe(pendingBytes, System.nanoTime());
        } catch (RuntimeException e) {
            // stay where it is rather than fail the capture; at idle priority a busy host may now starve it
            log.println("headerlog: warning: CPU priority no longer adapts (" + (priority.boosted() ? "normal" : "idle")
                    + " from now on): " + e.getMessage());
            priority = null;
        }
    }

    /** Applies an edited --filter-file to the kernel maps; a broken edit keeps the rules in force. */
    private void reloadFilters() {
        try {
            filters.reloadIfChanged().ifPresent(rules -> {
                session.program().filters().replaceWith(rules);
                log.println("headerlog: filters changed (" + filters.file().orElseThrow() + "): " + describe(rules));
            });
        } catch (IllegalArgumentException e) {
            log.println("headerlog: warning: filters unchanged: " + e.getMessage());
        }
    }

    private static String describe(FilterRules r) {
        return "allow nets " + r.allowCidrs() + ", deny nets " + r.denyCidrs() + ", allow ports " + r.allowPorts()
                + ", deny ports " + r.denyPorts() + ", allow protocols " + r.allowProtocols()
                + ", deny protocols " + r.denyProtocols();
    }

    private int batchLimit() {
        if (config.maxPackets() == 0) {
            return DRAIN_BATCH;
        }
        return (int) Math.max(0, Math.min(DRAIN_BATCH, config.maxPackets() - pump.read()));
    }

    private boolean countReached() {
        return config.maxPackets() > 0 && pump.read() >= config.maxPackets();
    }

    private boolean sinkBroken() {
        return sink instanceof JsonLinesSink json && json.isBroken();
    }

    private void publishStats() {
        KernelCounters kernel = session.program().readCounters();
        lastStats = snapshot(kernel);
        sink.publishStats(lastStats);
        KernelCounters delta = kernel.minus(lastKernel);
        if (delta.ringbufFull() > 0) {
            log.println("headerlog: warning: lost " + delta.ringbufFull() + " packets in the last "
                    + config.statsInterval().toSeconds() + " s: the ring buffer was full ("
                    + (config.ringBytes() >> 20) + " MiB); raise --ring-size or lower --snaplen");
        }
        if (delta.flowTableFull() > 0) {
            log.println("headerlog: warning: " + delta.flowTableFull() + " packets of new flows were not counted: the"
                    + " flow table (" + config.flows().entries() + " flows) was full; raise --flow-entries or"
                    + " shorten --flow-idle-timeout");
        }
        if (sink.errors() > lastPublishErrors) {
            log.println("headerlog: warning: " + (sink.errors() - lastPublishErrors) + " records could not be published: "
                    + sink.lastError());
        }
        lastKernel = kernel;
        lastPublishErrors = sink.errors();
    }

    private CollectorStats snapshot(KernelCounters kernel) {
        return CollectorStats.newBuilder(StatsSnapshot.of(config.hostId(), startedAtNs,
                        System.currentTimeMillis() * 1_000_000L, interfaceNames(), kernel, pump, sink))
                .setSampleRate(config.sampling().rate())
                .setFlowsExported(flows.exported())
                .build();
    }

    private List<String> interfaceNames() {
        return session.interfaces().stream().map(NetInterface::name).collect(Collectors.toList());
    }

    private String describeTargets() {
        String where = config.netns().map(ns -> " in netns " + ns).orElse("");
        String dirs = switch (config.directions()) {
            case BOTH -> "ingress+egress";
            case INGRESS -> "ingress";
            case EGRESS -> "egress";
        };
        return String.join(", ", interfaceNames()) + " (" + dirs + ")" + where;
    }

    private String describeSink() {
        return config.sink() == SinkKind.STDOUT ? "stdout"
                : "kafka " + config.bootstrapServers() + " topic " + config.topic() + " (registry " + config.registryUrl() + ")";
    }

    /** Asks the loop to end; returns at once. */
    public void stop() {
        stopRequested = true;
    }

    /** For the shutdown hook: end the loop and wait until links are detached and the sink flushed. */
    void stopAndWait() {
        stop();
        try {
            finished.await(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The counters as of the last stats interval (or now, after close). */
    public CollectorStats lastStats() {
        return lastStats;
    }

    @Override
    public void close() {
        try {
            publishStats();
            KernelCounters kernel = session.program().readCounters();
            sink.close();
            session.close();
            // after the sink closed, its delivery counters are final
            lastStats = snapshot(kernel);
            log.println("headerlog: stopped; " + StatsSnapshot.summary(lastStats));
        } finally {
            finished.countDown();
        }
    }
}
