package io.headerlog.tools.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.tools.ToolsCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `stack start|status|stop` as a user runs them: a detached supervisor found again through the data dir. */
class StackCommandIT {

    @TempDir
    Path dataDir;

    private record Result(int code, String out, String err) {
    }

    @AfterEach
    void stopWhateverIsLeft() {
        run("stack", "stop", "--data-dir", dataDir.toString());
    }

    @Test
    void shouldStartDetachedReportStatusAndStopEverything() {
        StackConfig config = StackConfig.onFreePorts(dataDir);
        List<String> start = new ArrayList<>(List.of("stack", "start"));
        start.addAll(StackOptions.toArguments(config));

        Result started = run(start.toArray(String[]::new));
        assertThat(started.code()).as(started.err()).isZero();
        assertThat(started.out()).contains("Local stack ready: broker " + config.bootstrapServers()
                + ", registry " + config.registryUrl());
        System.out.println(started.out());

        StackState state = StackState.readFrom(config.stateFile()).orElseThrow();
        assertThat(state.isReady()).isTrue();
        assertThat(state.supervisorPid()).isNotEqualTo(ProcessHandle.current().pid());
        List<Long> pids = List.of(state.supervisorPid(), state.brokerPid(), state.registryPid());
        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).hasValue(true));

        Result status = run("stack", "status", "--data-dir", dataDir.toString());
        assertThat(status.code()).as(status.out()).isZero();
        assertThat(status.out()).contains("broker   " + config.bootstrapServers()).contains("ok, ");

        Result again = run(start.toArray(String[]::new));
        assertThat(again.code()).isZero();
        assertThat(again.out()).contains("already runs");

        Result stopped = run("stack", "stop", "--data-dir", dataDir.toString());
        assertThat(stopped.code()).isZero();
        assertThat(stopped.out()).contains("Stopped the local stack").doesNotContain("had to kill");
        assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
        for (int port : new int[] {config.brokerPort(), config.controllerPort(), config.registryPort(), config.apicurioPort()}) {
            assertThat(FreePorts.isFree(port)).as("port %d is free", port).isTrue();
        }
        assertThat(config.stateFile()).doesNotExist();
        assertThat(run("stack", "status", "--data-dir", dataDir.toString()).code()).isEqualTo(3);
    }

    private static Result run(String... args) {
        CommandLine commandLine = ToolsCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int code = commandLine.execute(Arrays.copyOf(args, args.length));
        return new Result(code, out.toString(), err.toString());
    }
}
