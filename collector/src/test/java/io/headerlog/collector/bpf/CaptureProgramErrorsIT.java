package io.headerlog.collector.bpf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.testing.Exec;
import io.headerlog.testing.ExecResult;
import io.headerlog.testing.RepoRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The errors a user meets, with a real kernel: each names what failed and what to do. */
class CaptureProgramErrorsIT {

    @BeforeAll
    static void requireRoot() {
        assertThat(LibC.INSTANCE.geteuid()).as("these tests load eBPF programs: run as root").isZero();
    }

    private static ExecResult loadInChild(String... setprivArgs) {
        String java = ProcessHandle.current().info().command().orElse("java");
        String[] cmd = new String[setprivArgs.length + 5];
        cmd[0] = "setpriv";
        System.arraycopy(setprivArgs, 0, cmd, 1, setprivArgs.length);
        cmd[setprivArgs.length + 1] = java;
        cmd[setprivArgs.length + 2] = "-cp";
        cmd[setprivArgs.length + 3] = System.getProperty("java.class.path");
        cmd[setprivArgs.length + 4] = LoadAndReport.class.getName();
        return Exec.run(Duration.ofSeconds(60), cmd).orThrow();
    }

    @Test
    void shouldNameTheMissingCapabilitiesWhenLoadingIsRefused() {
        ExecResult r = loadInChild("--bounding-set=-all", "--inh-caps=-all");

        assertThat(r.stdout()).contains("ERROR the kernel refused to load the capture program (EPERM)")
                .contains("lacks CAP_BPF, CAP_PERFMON, CAP_NET_ADMIN").contains("run as root");
    }

    @Test
    void shouldLoadWithCapSysAdminAlone() {
        // CAP_SYS_ADMIN implies CAP_BPF and CAP_PERFMON for bpf(); it shows the check is the kernel's.
        ExecResult r = loadInChild("--bounding-set=-all,+sys_admin", "--inh-caps=-all");

        assertThat(r.stdout()).startsWith("LOADED ");
    }

    @Test
    void shouldExplainAnIfindexThatIsNotInTheCallersNamespace() {
        try (CaptureProgram program = CaptureProgram.load(new CaptureConfig(64, 1 << 16, 0))) {
            assertThatThrownBy(() -> program.attach(999_999, Direction.INGRESS))
                    .isInstanceOf(BpfException.class)
                    .hasMessageContaining("attaching the ingress capture program to ifindex 999999 in network namespace")
                    .hasMessageContaining("no such interface there")
                    .satisfies(e -> assertThat(((BpfException) e).errno()).isEqualTo(LibC.ENODEV));
        }
    }

    @Test
    void shouldExplainAnObjectLibbpfCannotOpen() {
        assertThatThrownBy(() -> CaptureProgram.load(new CaptureConfig(64, 1 << 16, 0), "not an ELF file".getBytes()))
                .isInstanceOf(BpfException.class)
                .hasMessageStartingWith("libbpf could not open /bpf/capture.bpf.o: ")
                .hasMessageContaining("is not a proper ELF object")
                .hasMessageEndingWith("; rebuild the collector module (bpf/build.sh)")
                .satisfies(e -> assertThat(((BpfException) e).errno()).isPositive());
    }

    @Test
    void shouldReportTheVerifierLogWhenTheKernelRejectsTheProgram(@TempDir Path dir) throws Exception {
        // capture.bpf.c itself (so every map and knob the loader expects is there), except that
        // hl_ingress reads packet data without a bounds check, which the verifier must refuse.
        String real = Files.readString(RepoRoot.resolve("bpf/capture.bpf.c"));
        String good = "return capture(skb, HL_DIR_INGRESS);";
        assertThat(real).contains(good);
        // Compiled by a copy of bpf/build.sh beside it, with the project's exact compiler flags.
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.copy(RepoRoot.resolve("bpf/build.sh"), src.resolve("build.sh"));
        Files.copy(RepoRoot.resolve("bpf/capture.h"), src.resolve("capture.h"));
        Files.writeString(src.resolve("bad.bpf.c"), real.replace(good, "return *(int *)(long)skb->data + hl_cfg.snap_len;"));
        Path object = dir.resolve("out/bad.bpf.o");
        ExecResult cc = Exec.run(Duration.ofSeconds(120), "bash", src.resolve("build.sh").toString(),
                dir.resolve("out").toString());
        assertThat(cc.ok()).as(cc.describe()).isTrue();

        assertThatThrownBy(() -> CaptureProgram.load(new CaptureConfig(64, 1 << 16, 0), Files.readAllBytes(object)))
                .isInstanceOf(BpfException.class)
                .hasMessageStartingWith("the kernel rejected the capture program (Permission denied (errno 13)): "
                        + "program hl_ingress: invalid access to packet")
                .hasMessageContaining("see the details for the verifier log")
                .satisfies(e -> assertThat(((BpfException) e).details())
                        .contains("hl_ingress").contains("invalid").contains("processed"));
    }

    @Test
    void shouldRefuseUseAfterClose() {
        CaptureProgram program = CaptureProgram.load(new CaptureConfig(64, 1 << 16, 0));
        RingBufferReader reader = program.ringReader();
        program.close();
        program.close();

        assertThat(reader.isClosed()).isTrue();
        assertThatThrownBy(() -> program.attach(1, Direction.EGRESS)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(program::readCounters).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> reader.drain((d, o, l) -> { }, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldReturnTheSameReaderUntilItIsClosed() {
        try (CaptureProgram program = CaptureProgram.load(new CaptureConfig(64, 1 << 16, 0))) {
            RingBufferReader first = program.ringReader();
            assertThat(program.ringReader()).isSameAs(first);
            assertThat(first.ringBytes()).isEqualTo(1 << 16);
            first.close();
            assertThat(program.ringReader()).isNotSameAs(first);
        }
    }

    @Test
    void shouldStartWithZeroCounters() {
        try (CaptureProgram program = CaptureProgram.load(new CaptureConfig(64, 1 << 16, 0))) {
            assertThat(program.readCounters()).isEqualTo(KernelCounters.ZERO);
        }
    }
}
