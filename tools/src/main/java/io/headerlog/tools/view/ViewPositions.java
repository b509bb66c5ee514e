package io.headerlog.tools.view;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the view starts reading. Traffic topics from their ends: the view shows what happens while
 * it runs, not history. A state topic (clock.offsets, where a host's estimate is republished only
 * when it changes) from a few records before its end: the current estimates, and the short history
 * the view shows of them, are there at once instead of after the next change.
 */
final class ViewPositions {
    private ViewPositions() {
    }

    /**
     * Assigns every partition of the topics and positions the consumer.
     *
     * @param fromEnd     topics read from their ends
     * @param withBacklog topics read from {@code backlog} records before the end of each partition
     *                    (or from its beginning, if it holds fewer)
     * @return the partitions assigned
     */
    static int assign(Consumer<?, ?> consumer, List<String> fromEnd, List<String> withBacklog, long backlog,
            Duration timeout) {
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog must be >= 0, was " + backlog);
        }
        List<TopicPartition> live = partitions(consumer, fromEnd, timeout);
        List<TopicPartition> state = partitions(consumer, withBacklog, timeout);
        List<TopicPartition> all = new ArrayList<>(live);
        all.addAll(state);
        consumer.assign(all);
        consumer.seekToEnd(live);
        if (!state.isEmpty()) {
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(state, timeout);
            Map<TopicPartition, Long> end = consumer.endOffsets(state, timeout);
            for (TopicPartition tp : state) {
                consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - backlog));
            }
        }
        // seekToEnd is lazy; resolving the positions now means records produced after this call
        // are read even if they arrive before the first poll.
        all.forEach(tp -> consumer.position(tp, timeout));
        return all.size();
    }

    private static List<TopicPartition> partitions(Consumer<?, ?> consumer, List<String> topics, Duration timeout) {
        List<TopicPartition> out = new ArrayList<>();
        for (String topic : topics) {
            for (PartitionInfo p : consumer.partitionsFor(topic, timeout)) {
                out.add(new TopicPartition(topic, p.partition()));
            }
        }
        return out;
    }
}
