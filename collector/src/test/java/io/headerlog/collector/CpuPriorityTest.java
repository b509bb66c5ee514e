package io.headerlog.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.headerlog.collector.CpuPriority.Policy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Real sched_setscheduler calls, on a thread of the test's own so the JVM's others keep their policy. */
class CpuPriorityTest {

    @Test
    void shouldReadPolicyFromStatLineWhoseCommandHasSpacesAndParentheses() {
        StringBuilder stat = new StringBuilder("4242 (C2 Compiler) x) S");
        for (int field = 4; field <= 52; field++) {
            stat.append(' ').append(field == 41 ? 5 : field);
        }
        assertThat(CpuPriority.policyFromStat(stat.toString())).isEqualTo(5);
    }

    @Test
    void shouldMoveThreadToIdlePriorityAndBack() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        CompletableFuture<Integer> tidOf = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                tidOf.complete(CpuPriority.currentThreadId());
                done.await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                tidOf.completeExceptionally(e);
            }
        }, "priority-test");
        t.start();
        try {
            int tid = tidOf.get(5, TimeUnit.SECONDS);
            assertThat(CpuPriority.policyOf(tid)).isEqualTo(Policy.NORMAL);
            CpuPriority.setThread(tid, Policy.IDLE);
            assertThat(CpuPriority.policyOf(tid)).isEqualTo(Policy.IDLE);
            CpuPriority.setThread(tid, Policy.NORMAL);
            assertThat(CpuPriority.policyOf(tid)).isEqualTo(Policy.NORMAL);
        } finally {
            done.countDown();
            t.join();
        }
    }

    @Test
    void shouldBeAllowedToLeaveIdlePriorityAsRoot() {
        // the tests run as root (as the collector must); without CAP_SYS_NICE this is false
        assertThat(CpuPriority.mayLeaveIdle()).isTrue();
    }

    @Test
    void shouldSkipThreadThatHasEnded() {
        assertThatCode(() -> CpuPriority.setThread(Integer.MAX_VALUE, Policy.IDLE)).doesNotThrowAnyException();
    }
}
