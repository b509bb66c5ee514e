package io.headerlog.streams.clock;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The pair models of every host pair that exchanged packets: routes each sample to its pair's model
 * and hands the current estimates to {@link ClockSolver}. Models are created on a pair's first
 * sample. Not thread-safe.
 */
public final class ClockGraph {
    private final ClockModelConfig config;
    private final Map<HostPair, PairClockModel> models = new TreeMap<>();

    public ClockGraph(ClockModelConfig config) {
        this.config = Objects.requireNonNull(config, "clock model config must be set");
    }

    public ClockGraph() {
        this(ClockModelConfig.DEFAULTS);
    }

    /** Feeds one sample to its pair's model. */
    public PairClockModel.Outcome add(ClockSample sample) {
        Objects.requireNonNull(sample, "sample must be set");
        return models.computeIfAbsent(HostPair.of(sample), p -> new PairClockModel(p, config)).add(sample);
    }

    /** The estimate of every pair that has one, in pair order. */
    public List<PairEstimate> estimates() {
        List<PairEstimate> out = new ArrayList<>(models.size());
        for (PairClockModel m : models.values()) {
            m.estimate().ifPresent(out::add);
        }
        return out;
    }

    public Optional<PairClockModel> model(HostPair pair) {
        return Optional.ofNullable(models.get(pair));
    }

    public Collection<PairClockModel> models() {
        return Collections.unmodifiableCollection(models.values());
    }

    /** Replaces (or adds) one pair's model with the state of a snapshot, e.g. from a state store. */
    public void restore(PairModelSnapshot snapshot) {
        models.put(snapshot.pair(), PairClockModel.restore(snapshot, config));
    }

    /** Forgets a pair, e.g. a host that was decommissioned. */
    public void remove(HostPair pair) {
        models.remove(pair);
    }

    public ClockModelConfig config() {
        return config;
    }
}
