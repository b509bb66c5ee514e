package io.headerlog.tools.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackStateTest {

    @TempDir
    Path dir;

    @Test
    void shouldRoundTripThroughTheStateFile() {
        StackState state = new StackState(42, 1234, StackState.READY, "/d", "127.0.0.1:9092", "http://127.0.0.1:8081",
                43, 44, 5000, 9000, "2026-01-01T00:00:00Z");
        Path file = dir.resolve("stack.json");

        state.writeTo(file);

        assertThat(StackState.readFrom(file)).contains(state);
        assertThat(dir.resolve("stack.json.tmp")).doesNotExist();
    }

    @Test
    void shouldRecogniseOnlyTheSameLiveProcessAsTheSupervisor() {
        ProcessHandle self = ProcessHandle.current();
        long start = StackState.startMillis(self);

        assertThat(state(self.pid(), start).isSupervisorAlive()).isTrue();
        // same pid, other start time: the pid was reused by another process
        assertThat(state(self.pid(), start - 1000).isSupervisorAlive()).isFalse();
        assertThat(state(-1, start).isSupervisorAlive()).isFalse();
    }

    @Test
    void shouldBeEmptyWithoutAFileAndExplainAnUnreadableOne() throws Exception {
        assertThat(StackState.readFrom(dir.resolve("none.json"))).isEmpty();
        Path broken = Files.writeString(dir.resolve("broken.json"), "{not json");
        assertThatThrownBy(() -> StackState.readFrom(broken))
                .isInstanceOf(StackException.class).hasMessageContaining("if no stack runs, delete it");
    }

    private static StackState state(long pid, long startMs) {
        return new StackState(pid, startMs, StackState.STARTING, "/d", "b", "r", -1, -1, -1, -1, "now");
    }
}
