package io.headerlog.benchmarks.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.benchmarks.capture.CollectorRun.Sink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Which runs the benchmark plans from its options and the collector it finds. */
class BenchmarkPlanTest {

    @TempDir
    Path dir;
    private Path jar;

    @BeforeEach
    void collectorJar() throws IOException {
        jar = Files.createFile(dir.resolve("collector.jar"));
    }

    private BenchmarkConfig config(String... args) {
        CaptureBenchmark cmd = new CaptureBenchmark();
        String[] all = new String[args.length + 2];
        all[0] = "--collector-jar";
        all[1] = jar.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        new CommandLine(cmd).parseArgs(all);
        return cmd.toConfig();
    }

    @Test
    void quickIsTheDefaultAndFullMeasuresMore() {
        BenchmarkConfig quick = config();
        assertThat(quick.mode()).isEqualTo("quick");
        assertThat(quick.sinks()).containsExactly(Sink.KAFKA);
        assertThat(quick.tcpRuns()).isEqualTo(1);
        BenchmarkConfig full = config("--full");
        assertThat(full.sinks()).containsExactly(Sink.KAFKA, Sink.STDOUT);
        assertThat(full.tcpRuns()).isEqualTo(3);
        assertThat(full.floodRates()).hasSizeGreaterThan(quick.floodRates().size());
        assertThat(full.estimatedSeconds(8, 5, true)).isGreaterThan(quick.estimatedSeconds(4, 1, true));
        assertThat(full.jitSettleSeconds()).isGreaterThan(quick.jitSettleSeconds());
    }

    @Test
    void explicitOptionsOverrideTheModeAndCollectorArgumentsPassThrough() {
        BenchmarkConfig c = config("--full", "--tcp-runs", "2", "--flood-rates", "30000,60000",
                "--collector-arg=--snaplen", "--collector-arg=128", "-b", "127.0.0.1:9092", "-r", "http://127.0.0.1:8081");
        assertThat(c.tcpRuns()).isEqualTo(2);
        assertThat(c.floodRates()).containsExactly(30_000L, 60_000L);
        assertThat(c.collectorArgs()).containsExactly("--snaplen", "128");
        assertThat(c.kafka()).contains(new BenchmarkConfig.KafkaAddress("127.0.0.1:9092", "http://127.0.0.1:8081"));
    }

    @Test
    void inconsistentOptionsAreRejectedWithTheOptionName() {
        assertThatThrownBy(() -> config("--quick", "--full")).hasMessageContaining("--quick and --full");
        assertThatThrownBy(() -> config("-b", "127.0.0.1:9092")).hasMessageContaining("--registry-url");
        assertThatThrownBy(() -> config("--flood-rates", "10")).hasMessageContaining("--flood-rates");
        assertThatThrownBy(() -> config("--sinks", "file")).hasMessageContaining("--sinks");
    }

    @Test
    void aMissingCollectorJarSaysHowToBuildIt() {
        assertThatThrownBy(() -> {
            CaptureBenchmark cmd = new CaptureBenchmark();
            new CommandLine(cmd).parseArgs("--collector-jar", dir.resolve("none.jar").toString());
            cmd.toConfig();
        }).hasMessageContaining("mvn -pl collector package");
    }

    @Test
    void withoutSamplingOneCollectorRunsPerSink() {
        List<CollectorRun.Spec> specs = CaptureBenchmark.collectorSpecs(config("--sinks", "kafka,stdout"),
                new CollectorFeatures(false, OptionalInt.empty()), "r1");
        assertThat(specs).extracting(CollectorRun.Spec::label)
                .containsExactly("collector kafka (no sampling)", "collector stdout (no sampling)");
        assertThat(specs).extracting(CollectorRun.Spec::sampleRate).containsOnly(OptionalInt.empty());
        assertThat(specs).extracting(CollectorRun.Spec::topic).doesNotHaveDuplicates();
    }

    @Test
    void theDefaultRateIsMeasuredOnceWhetherOrNotItIsListed() {
        List<CollectorRun.Spec> listed = CaptureBenchmark.collectorSpecs(config(),
                new CollectorFeatures(true, OptionalInt.of(10)), "r1");
        assertThat(listed).extracting(CollectorRun.Spec::label)
                .containsExactly("collector kafka 1/1", "collector kafka 1/10 (default)", "collector kafka 1/100");
        List<CollectorRun.Spec> unlisted = CaptureBenchmark.collectorSpecs(config(),
                new CollectorFeatures(true, OptionalInt.of(64)), "r1");
        assertThat(unlisted).extracting(CollectorRun.Spec::label).containsExactly("collector kafka 1/64 (default)",
                "collector kafka 1/1", "collector kafka 1/10", "collector kafka 1/100");
        assertThat(unlisted.get(0).sampleRate()).isEmpty();
    }

    private static ThroughputPhase.Result run(String label, boolean baseline, double... gbps) {
        List<Double> v = new java.util.ArrayList<>();
        for (double g : gbps) {
            v.add(g);
        }
        return new ThroughputPhase.Result(label, baseline, v, List.of(), new ProgramRunTime(0, 0, 0), 0, Optional.empty(),
                new ProgramRunTime(0, 0, 0), 0, Optional.empty(), java.util.OptionalLong.empty(), "", Optional.empty());
    }

    @Test
    void shouldRatioEachRunToItsReferenceRunSoDriftCancels() {
        // the machine drifts from 10 to 15 Gbit/s during the runs; each monitored run is 4 % below its reference
        ThroughputPhase.Result r = new ThroughputPhase.Result("collector", false, List.of(9.6, 12.48, 14.4),
                List.of(10.0, 13.0, 15.0), new ProgramRunTime(0, 0, 0), 0, Optional.empty(), new ProgramRunTime(0, 0, 0), 0,
                Optional.empty(), java.util.OptionalLong.empty(), "", Optional.empty());

        assertThat(r.pairedRatio()).isCloseTo(0.96, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(Stats.ratio(r.medianGbps(), Stats.median(r.referenceGbps()))).isCloseTo(0.96,
                org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void eachAttachmentIsComparedWithTheBaselinesNextToItInTime() {
        // the machine drifts: 10 Gbit/s at first, 13 at the end
        List<ThroughputPhase.Result> results = List.of(run("no program", true, 10, 10), run("count-only", false, 9.8),
                run("no program", true, 11, 11), run("collector", false, 12.6), run("no program", true, 13, 13));
        assertThat(Report.localBaseline(results, 1, ThroughputPhase.Result::tcpGbps)).isEqualTo(10.5);
        assertThat(Report.localBaseline(results, 3, ThroughputPhase.Result::tcpGbps)).isEqualTo(12.0);
        assertThat(Report.localBaseline(results, 0, ThroughputPhase.Result::tcpGbps)).as("a baseline row: all of them").isEqualTo(11.0);
        assertThat(Report.localBaseline(List.of(run("collector", false, 9)), 0, ThroughputPhase.Result::tcpGbps)).isNaN();
    }

    @Test
    void medianAndRatiosOfFewRuns() {
        assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Stats.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
        assertThat(Stats.median(List.of())).isNaN();
        assertThat(Stats.ratio(1, 0)).isNaN();
        assertThat(Table.count(123_456)).isEqualTo("123.5k");
        assertThat(Table.count(2_345_678)).isEqualTo("2.35M");
        assertThat(Table.ratio(0.9712)).isEqualTo("0.971");
        assertThat(Optional.of(Table.percent(Double.NaN))).contains("-");
    }
}
