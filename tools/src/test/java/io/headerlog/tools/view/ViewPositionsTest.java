package io.headerlog.tools.view;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ViewPositionsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private final MockConsumer<String, Object> consumer = new MockConsumer<>("latest");

    private void topic(String name, int partitions, long begin, long end) {
        List<PartitionInfo> infos = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            infos.add(new PartitionInfo(name, p, null, null, null));
            consumer.updateBeginningOffsets(Map.of(new TopicPartition(name, p), begin));
            consumer.updateEndOffsets(Map.of(new TopicPartition(name, p), end));
        }
        consumer.updatePartitions(name, infos);
    }

    @Test
    void shouldReadTrafficFromTheEndAndStateFromABacklogBeforeIt() {
        topic("enriched", 2, 0, 1000);
        topic("stats", 1, 0, 50);
        topic("clocks", 1, 0, 900);

        int assigned = ViewPositions.assign(consumer, List.of("enriched", "stats"), List.of("clocks"), 256, TIMEOUT);

        assertThat(assigned).isEqualTo(4);
        assertThat(consumer.assignment()).hasSize(4);
        assertThat(consumer.position(new TopicPartition("enriched", 0))).isEqualTo(1000);
        assertThat(consumer.position(new TopicPartition("enriched", 1))).isEqualTo(1000);
        assertThat(consumer.position(new TopicPartition("stats", 0))).isEqualTo(50);
        assertThat(consumer.position(new TopicPartition("clocks", 0))).isEqualTo(900 - 256);
    }

    @Test
    void shouldReadAShortOrTrimmedStateTopicFromItsBeginning() {
        topic("enriched", 1, 0, 10);
        topic("clocks", 2, 40, 100);

        ViewPositions.assign(consumer, List.of("enriched"), List.of("clocks"), 256, TIMEOUT);

        assertThat(consumer.position(new TopicPartition("clocks", 0))).isEqualTo(40);
        assertThat(consumer.position(new TopicPartition("clocks", 1))).isEqualTo(40);
    }

    @Test
    void shouldRejectANegativeBacklog() {
        assertThatThrownBy(() -> ViewPositions.assign(consumer, List.of(), List.of(), -1, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
