package io.headerlog.benchmarks.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JitActivityTest {

    @Test
    void shouldCountOnlyCompilerThreads() {
        assertThat(JitActivity.isCompiler("C2 CompilerThre")).isTrue();
        assertThat(JitActivity.isCompiler("C1 CompilerThre")).isTrue();
        assertThat(JitActivity.isCompiler("kafka-producer-")).isFalse();
        assertThat(JitActivity.isCompiler("VM Thread")).isFalse();
    }

    @Test
    void shouldAddTheTicksOfThreadsThatStartedAndIgnoreThoseThatEnded() {
        JitActivity before = new JitActivity(Map.of("101", 50L, "102", 10L));
        // 101 used 20 ticks, 102 ended, 103 started and used 5: 25 ticks = 0.25 s of CPU in 5 s
        JitActivity after = new JitActivity(Map.of("101", 70L, "103", 5L));

        assertThat(after.percentSince(before, 5.0)).isCloseTo(5.0, within(1e-9));
    }

    @Test
    void shouldReadTheCompilerThreadsOfThisJvm() {
        JitActivity self = JitActivity.of(ProcessHandle.current().pid());

        assertThat(self.ticksByThread()).isNotEmpty();
        assertThat(self.percentSince(self, 1.0)).isZero();
    }
}
