package io.headerlog.benchmarks.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the capture benchmark reads what the measured tools print (samples are real output of each tool). */
class ToolOutputParsingTest {

    @Test
    void collectorSummaryGivesEveryCounterOfTheStopLine() {
        CollectorSummary s = CollectorSummary.parse("headerlog: stopped; seen 191482, submitted 111596, ring full 79886,"
                + " read 111596, decode errors 0, published 111590, publish errors 6");
        assertThat(s.seen()).isEqualTo(191482);
        assertThat(s.ringFull()).isEqualTo(79886);
        assertThat(s.published()).isEqualTo(111590);
        assertThat(s.publishErrors()).isEqualTo(6);
        assertThat(s.kept()).isEqualTo(191482);
        assertThat(s.lost()).isEqualTo(79886 + 6);
    }

    @Test
    void collectorSummaryKeepsCountersAddedLaterAndSubtractsDeliberateDropsFromKept() {
        CollectorSummary s = CollectorSummary.parse("headerlog: stopped; seen 1000, filtered 100, sampled out 810,"
                + " submitted 90, ring full 0, read 90, decode errors 0, published 90, publish errors 0");
        assertThat(s.get("sampled out")).hasValue(810);
        assertThat(s.kept()).isEqualTo(90);
        assertThat(s.lost()).isZero();
    }

    @Test
    void collectorSummaryRejectsOtherLines() {
        assertThatThrownBy(() -> CollectorSummary.parse("headerlog: capturing on hlbench0b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CollectorSummary.parse("headerlog: stopped; read 5"))
                .hasMessageContaining("no 'seen' or 'published'");
    }

    @Test
    void tcpdumpStatisticsAreReadFromItsFinalLines() {
        TcpdumpRun.Stats s = TcpdumpRun.parse(List.of("tcpdump: listening on hlbench0b, link-type EN10MB (Ethernet),"
                + " snapshot length 256 bytes", "586524 packets captured", "586773 packets received by filter",
                "249 packets dropped by kernel"));
        assertThat(s).isEqualTo(new TcpdumpRun.Stats(586524, 586773, 249));
        assertThat(TcpdumpRun.parse(List.of("1 packet captured", "1 packet received by filter", "0 packets dropped by kernel")))
                .isEqualTo(new TcpdumpRun.Stats(1, 1, 0));
    }

    @Test
    void tcpdumpWithoutStatisticsIsAnError() {
        assertThatThrownBy(() -> TcpdumpRun.parse(List.of("tcpdump: hlbench0b: No such device exists")))
                .hasMessageContaining("no final statistics");
    }

    @Test
    void producerPerformanceFinalLineIsReadAndInterimLinesAreNot() {
        ProducerPerf.Result r = ProducerPerf.parse("300000 records sent, 97024.579560 records/sec (19.89 MB/sec), 49.43 ms"
                + " avg latency, 523.00 ms max latency, 28 ms 50th, 165 ms 95th, 293 ms 99th, 387 ms 99.9th.", 215);
        assertThat(r.records()).isEqualTo(300000);
        assertThat(r.recordsPerSecond()).isEqualTo(97024.579560);
        assertThat(r.megabytesPerSecond()).isEqualTo(19.89);
        assertThatThrownBy(() -> ProducerPerf.parse("486321 records sent, 97264.2 records/sec (19.94 MB/sec), 51.2 ms avg"
                + " latency, 523.0 ms max latency.", 215)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void processTicksAreUserPlusSystemEvenWhenTheNameHasSpacesAndParentheses() {
        String stat = "26441 (C2 Compiler (x)) R 26300 26300 1 0 -1 4194304 573 0 0 0 71 32 0 0 20 0 1 0 1005 8445952 943";
        assertThat(ProcessCpu.parseTicks(stat)).isEqualTo(71 + 32);
        assertThat(ThreadCpu.comm(stat)).isEqualTo("C2 Compiler (x)");
    }

    @Test
    void threadsAreGroupedWithoutTheirNumbers() {
        assertThat(ThreadCpu.group("GC Thread#1")).isEqualTo("GC Thread");
        assertThat(ThreadCpu.group("C2 CompilerThre")).isEqualTo("C2 CompilerThre");
        assertThat(ThreadCpu.group("netns-hl-bench-42-b")).isEqualTo("netns-hl-bench-b");
        ThreadCpu before = new ThreadCpu(Map.of("java", 100L, "GC Thread", 10L), 1000);
        ThreadCpu after = new ThreadCpu(Map.of("java", 250L, "GC Thread", 30L, "C1 CompilerThre", 5L), 1120);
        assertThat(after.topSince(before, 2.0, 2)).isEqualTo("java 75.0%, GC Thread 10.0%; 60 wakeups/s");
    }

    @Test
    void separateIntervalsAddUp() {
        // two monitored runs with an unmeasured one between them: only the runs count
        ThreadCpu run1Start = new ThreadCpu(Map.of("java", 100L), 1000);
        ThreadCpu run1End = new ThreadCpu(Map.of("java", 150L), 1040);
        ThreadCpu run2Start = new ThreadCpu(Map.of("java", 400L), 1500);
        ThreadCpu run2End = new ThreadCpu(Map.of("java", 430L, "C2 CompilerThre", 4L), 1520);

        ThreadCpu sum = ThreadCpu.NONE.plus(run1End, run1Start).plus(run2End, run2Start);

        assertThat(sum.topSince(ThreadCpu.NONE, 2.0, 2)).isEqualTo("java 40.0%, C2 CompilerThre 2.0%; 30 wakeups/s");
    }

    @Test
    void voluntaryContextSwitchesAreReadFromTaskStatus() {
        String status = "Name:\tjava\nState:\tS (sleeping)\nvoluntary_ctxt_switches:\t1234\nnonvoluntary_ctxt_switches:\t56\n";
        assertThat(ThreadCpu.voluntarySwitches(status)).isEqualTo(1234);
        assertThat(ThreadCpu.voluntarySwitches("Name:\tjava\n")).isZero();
    }

    @Test
    void fdinfoNumbersAreReadByKey() {
        Map<String, Long> info = ProgramRunTime.parseFdinfo("pos:\t0\nflags:\t02000002\nmnt_id:\t16\nino:\t1051\n"
                + "prog_type:\t3\nprog_jited:\t1\nprog_tag:\t8b2ba3e5fb5dd9c4\nmemlock:\t4096\nprog_id:\t2969\n"
                + "run_time_ns:\t236418853\nrun_cnt:\t295637\nrecursion_misses:\t0\nverified_insns:\t166512\n");
        assertThat(info).containsEntry("prog_id", 2969L).containsEntry("run_time_ns", 236418853L)
                .containsEntry("run_cnt", 295637L).doesNotContainKey("prog_tag");
        assertThat(new ProgramRunTime(236418853, 295637, 1).nsPerRun()).isCloseTo(799.7, org.assertj.core.data.Offset.offset(0.1));
        assertThat(new ProgramRunTime(0, 0, 1).nsPerRun()).isNaN();
    }

    @Test
    void interfaceCountersAreReadFromIpJson() {
        LinkCounters c = LinkCounters.parse("[{\"ifindex\":2,\"ifname\":\"hlbench0b\",\"stats64\":{\"rx\":{\"bytes\":64747181,"
                + "\"packets\":115109,\"errors\":0,\"dropped\":3},\"tx\":{\"bytes\":181,\"packets\":7,\"errors\":0}}}]");
        assertThat(c).isEqualTo(new LinkCounters(115109, 7, 3));
        assertThat(c.minus(new LinkCounters(100, 2, 0)).packets()).isEqualTo(115009 + 5);
        assertThatThrownBy(() -> LinkCounters.parse("[]")).hasMessageContaining("no stats64");
    }

    @Test
    void iperfReportIsParsedAndAnErrorFieldIsKept() {
        assertThat(Iperf.parse("{\"end\":{\"sum_received\":{\"bits_per_second\":7.5e9}}}").path("end").path("sum_received")
                .path("bits_per_second").asDouble()).isEqualTo(7.5e9);
        assertThat(Iperf.parse("{\"error\":\"unable to connect to server\"}").path("error").asText())
                .isEqualTo("unable to connect to server");
        assertThat(Iperf.parse("").isEmpty()).isTrue();
    }
}
