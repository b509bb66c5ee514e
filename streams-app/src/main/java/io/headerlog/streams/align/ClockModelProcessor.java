package io.headerlog.streams.align;

import io.headerlog.schema.ClockOffset;
import io.headerlog.streams.clock.ClockGraph;
import io.headerlog.streams.clock.ClockModelConfig;
import io.headerlog.streams.clock.ClockSample;
import io.headerlog.streams.clock.ClockSolution;
import io.headerlog.streams.clock.ClockSolver;
import io.headerlog.streams.clock.HostClock;
import io.headerlog.streams.clock.HostPair;
import io.headerlog.streams.clock.PairClockModel;
import io.headerlog.streams.clock.PairModelCodec;
import java.time.Duration;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits one clock model per host pair from the clock samples and solves every host's clock against
 * the reference host. Runs as a single task (the samples topic has one partition): the solution
 * needs every pair at once, and samples are few (handshakes, pings, DNS), so one task keeps up.
 *
 * <p>Each pair's retained samples are written to a persistent store after every change, so a
 * restart resumes with the model it had instead of re-learning it. New estimates are published at
 * most once per {@code publishInterval} (and at once when a host gets its first one), each host's
 * ClockOffset keyed by host.
 */
public final class ClockModelProcessor implements Processor<String, ClockSample, String, ClockOffset> {
    private static final Logger LOG = LoggerFactory.getLogger(ClockModelProcessor.class);

    private final String storeName;
    private final ClockModelConfig modelConfig;
    private final ClockSolver solver;
    private final Duration publishInterval;
    private ProcessorContext<String, ClockOffset> context;
    private KeyValueStore<String, byte[]> store;
    private ClockGraph graph;
    private boolean dirty;
    private long lastPublishMs = Long.MIN_VALUE;
    private int hostsPublished;

    public ClockModelProcessor(String storeName, ClockModelConfig modelConfig, ClockSolver solver,
            Duration publishInterval) {
        this.storeName = storeName;
        this.modelConfig = modelConfig;
        this.solver = solver;
        this.publishInterval = publishInterval;
    }

    @Override
    public void init(ProcessorContext<String, ClockOffset> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.graph = new ClockGraph(modelConfig);
        int restored = 0;
        try (KeyValueIterator<String, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, byte[]> kv = all.next();
                graph.restore(PairModelCodec.decode(kv.value));
                restored++;
            }
        }
        if (restored > 0) {
            LOG.info("clock model: restored {} host pairs from {}", restored, storeName);
            dirty = true;
        }
        context.schedule(publishInterval, PunctuationType.WALL_CLOCK_TIME, this::publishIfChanged);
    }

    @Override
    public void process(Record<String, ClockSample> record) {
        ClockSample sample = record.value();
        if (sample == null) {
            return;
        }
        PairClockModel.Outcome outcome = graph.add(sample);
        if (outcome == PairClockModel.Outcome.STEP) {
            LOG.warn("clock model: clock step between {} and {}; the pair's model restarts from the new samples",
                    sample.hostA(), sample.hostB());
        }
        HostPair pair = HostPair.of(sample);
        graph.model(pair).ifPresent(m -> store.put(pair.toString(), PairModelCodec.encode(m.snapshot())));
        dirty = true;
        long now = context.currentSystemTimeMs();
        ClockSolution solution = solver.solveAtLatest(graph.estimates());
        // a host's first estimate goes out at once; refinements wait for the interval
        if (lastPublishMs == Long.MIN_VALUE || now - lastPublishMs >= publishInterval.toMillis()
                || solution.clocks().size() > hostsPublished) {
            publish(solution, now);
        }
    }

    private void publishIfChanged(long nowMs) {
        if (dirty) {
            publish(solver.solveAtLatest(graph.estimates()), nowMs);
        }
    }

    private void publish(ClockSolution solution, long nowMs) {
        for (HostClock clock : solution.clocks().values()) {
            context.forward(new Record<>(clock.host(), ClockOffsets.toRecord(clock, nowMs), nowMs));
        }
        hostsPublished = solution.clocks().size();
        lastPublishMs = nowMs;
        dirty = false;
    }
}
