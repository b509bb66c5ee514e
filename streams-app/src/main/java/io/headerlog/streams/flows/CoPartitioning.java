package io.headerlog.streams.flows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * The flows.summary branch reads headers and flows.raw in one task without repartitioning, which
 * is right only if a key lands in the same partition number of both topics: same key (Community
 * ID, the collectors' choice), same partitioner (the producers' default) and the same partition
 * count. Kafka Streams checks that only for its own joins, not for two sources merged into one
 * processor; with different counts it would silently pair unrelated partitions and every exact
 * counter would miss its estimate. So the app checks it before it starts.
 */
public final class CoPartitioning {
    private CoPartitioning() {
    }

    /** Null when the counts agree, else a one-line message that says what to do. */
    static String mismatch(String headersTopic, int headerPartitions, String flowsTopic, int flowPartitions) {
        if (headerPartitions == flowPartitions) {
            return null;
        }
        return flowsTopic + " has " + flowPartitions + " partitions but " + headersTopic + " has " + headerPartitions
                + "; flows.summary needs both keyed alike in the same number of partitions: recreate " + flowsTopic
                + " with " + headerPartitions + " partitions, or turn the summary off (--no-flow-summary)";
    }

    /** Describes both topics; throws IllegalStateException with a one-line message if they are not co-partitioned. */
    public static void require(Admin admin, String headersTopic, String flowsTopic, Duration timeout) {
        Map<String, TopicDescription> topics;
        try {
            topics = admin.describeTopics(List.of(headersTopic, flowsTopic)).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe " + headersTopic + " and " + flowsTopic + " to check their"
                    + " partition counts: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the partitions of " + flowsTopic, e);
        }
        String problem = mismatch(headersTopic, topics.get(headersTopic).partitions().size(), flowsTopic,
                topics.get(flowsTopic).partitions().size());
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }
}
