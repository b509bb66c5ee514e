package io.headerlog.benchmarks.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CollectorFeaturesTest {

    private static final String WITHOUT = """
            Usage: collect [-hV] [--netns=NS] [-i=IF]...
                  --ring-size=MiB        Ring buffer size in MiB (a power of two). Default: 16.
                  --stats-interval=SECONDS
                                         How often counters are read. Default: 5.
            """;

    @Test
    void aCollectorWithoutSamplingHasNoSampleRate() {
        assertThat(CollectorFeatures.parseHelp(WITHOUT)).isEqualTo(new CollectorFeatures(false, OptionalInt.empty()));
    }

    @Test
    void theDefaultRateIsReadFromTheSampleRateEntryOnly() {
        String help = """
                Usage: collect [-hV] [--sample-rate=N]
                      --ring-size=MiB        Ring buffer size in MiB (a power of two). Default: 16.
                      --sample-rate=N        Keep 1 in N packets, chosen by a hash of fields that do
                                               not change between hosts, so every host keeps the
                                               same packets. Default: 100.
                      --stats-interval=SECONDS
                                             Default: 5.
                """;
        assertThat(CollectorFeatures.parseHelp(help)).isEqualTo(new CollectorFeatures(true, OptionalInt.of(100)));
    }

    @Test
    void aSampleRateWithoutAStatedDefaultIsStillSupported() {
        String help = "      --sample-rate=N        Keep 1 in N packets.\n      --stats-interval=S  Default: 5.\n";
        assertThat(CollectorFeatures.parseHelp(help)).isEqualTo(new CollectorFeatures(true, OptionalInt.empty()));
    }
}
