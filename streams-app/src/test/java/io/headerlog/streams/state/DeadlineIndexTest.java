package io.headerlog.streams.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeadlineIndexTest {

    @Test
    void shouldGiveTheEarliestDueKeyAndFollowMovedDeadlines() {
        DeadlineIndex index = new DeadlineIndex();
        index.put("a", 30);
        index.put("b", 10);
        index.put("c", 20);

        assertThat(index.earliest()).isEqualTo("b");
        assertThat(index.dueAt(9)).isNull();
        assertThat(index.dueAt(10)).isEqualTo("b");
        assertThat(index.latestDeadline()).isEqualTo(30);

        index.put("a", 5); // an out-of-order sighting moved a's window earlier
        assertThat(index.earliest()).isEqualTo("a");
        assertThat(index.latestDeadline()).isEqualTo(20);
        assertThat(index.size()).isEqualTo(3);

        index.remove("a");
        index.remove("missing");
        assertThat(index.earliest()).isEqualTo("b");
        assertThat(index.contains("a")).isFalse();
        assertThat(index.size()).isEqualTo(2);
    }

    @Test
    void shouldOrderEqualDeadlinesByKeyAndBeEmptyAfterwards() {
        DeadlineIndex index = new DeadlineIndex();
        index.put("y", 7);
        index.put("x", 7);

        assertThat(index.dueAt(7)).isEqualTo("x");
        index.remove("x");
        index.remove("y");
        assertThat(index.isEmpty()).isTrue();
        assertThat(index.earliest()).isNull();
        assertThat(index.dueAt(Long.MAX_VALUE)).isNull();
        assertThat(index.latestDeadline()).isEqualTo(Long.MIN_VALUE);
    }
}
