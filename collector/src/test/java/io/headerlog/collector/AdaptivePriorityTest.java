package io.headerlog.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.collector.CpuPriority.Policy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdaptivePriorityTest {

    private static final long SECOND = 1_000_000_000L;

    private final List<Policy> applied = new ArrayList<>();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private AdaptivePriority priority;

    @BeforeEach
    void create() {
        // boost at 1000 bytes waiting, relax after 5 s below 100
        priority = new AdaptivePriority(applied::add, 1000, 100, 5 * SECOND,
                new PrintStream(logged, true, StandardCharsets.UTF_8));
    }

    @Test
    void shouldStartAtIdlePriorityAndStayThereWhileKeepingUp() {
        priority.start();
        for (int i = 0; i < 100; i++) {
            priority.observe(999, i * SECOND / 4);
        }
        assertThat(applied).containsExactly(Policy.IDLE);
        assertThat(priority.boosted()).isFalse();
        assertThat(logged.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void shouldBoostOnceWhenTheRingBacksUpAndSayWhy() {
        priority.start();
        priority.observe(1000, 0);
        priority.observe(50_000, SECOND);
        assertThat(applied).containsExactly(Policy.IDLE, Policy.NORMAL);
        assertThat(priority.boosted()).isTrue();
        assertThat(priority.boosts()).isEqualTo(1);
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("1000 bytes wait in the ring");
    }

    @Test
    void shouldReturnToIdleOnlyAfterTheBacklogStayedSmallLongEnough() {
        priority.start();
        priority.observe(2000, 0);
        priority.observe(10, 1 * SECOND);
        priority.observe(500, 3 * SECOND); // not calm yet: restarts the wait
        priority.observe(10, 7 * SECOND);
        assertThat(priority.boosted()).as("only 4 s since the backlog was last above 100 bytes").isTrue();
        priority.observe(10, 8 * SECOND);
        assertThat(priority.boosted()).isFalse();
        assertThat(applied).containsExactly(Policy.IDLE, Policy.NORMAL, Policy.IDLE);

        priority.observe(5000, 9 * SECOND);
        assertThat(priority.boosts()).isEqualTo(2);
        assertThat(applied).endsWith(Policy.NORMAL);
    }

    @Test
    void shouldRejectThresholdsThatCannotWork() {
        assertThatThrownBy(() -> new AdaptivePriority(applied::add, 100, 1000, 0, System.err))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AdaptivePriority(applied::add, 0, 0, 0, System.err))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldPutThreadsBackToNormalWhenGoingIdleFailsPartWay() {
        AdaptivePriority failing = new AdaptivePriority(policy -> {
            applied.add(policy);
            if (policy == Policy.IDLE) {
                throw new IllegalStateException("cannot set thread 42 to IDLE scheduling");
            }
        }, 1000, 100, 5 * SECOND, new PrintStream(logged, true, StandardCharsets.UTF_8));

        assertThatThrownBy(failing::start).hasMessageContaining("thread 42");
        assertThat(applied).containsExactly(Policy.IDLE, Policy.NORMAL);
    }
}
