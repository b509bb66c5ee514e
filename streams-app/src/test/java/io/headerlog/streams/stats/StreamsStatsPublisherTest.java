package io.headerlog.streams.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.schema.StreamsStats;
import io.headerlog.streams.EnrichCounters;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The publisher's contract: keyed snapshots on its topic, a last one at close, failures counted, never thrown. */
class StreamsStatsPublisherTest {
    private static final StreamsInstance INSTANCE = new StreamsInstance("app", "h:1", 10L);
    // the record is checked as an object here; its wire form is tested with the topology (StreamsStatsTest)
    private static final Serializer<StreamsStats> NO_BYTES = (topic, data) -> new byte[0];

    private final EnrichCounters counters = new EnrichCounters();
    private final AtomicReference<String> state = new AtomicReference<>("RUNNING");

    @Test
    void shouldPublishKeyedSnapshotsAndALastOneWhenClosed() {
        MockProducer<String, StreamsStats> producer = new MockProducer<>(true, null, new StringSerializer(), NO_BYTES);
        StreamsStatsPublisher publisher = new StreamsStatsPublisher(producer, "streams.stats.t", INSTANCE,
                Duration.ofSeconds(3), state::get, counters);

        counters.recordEnriched(true);
        publisher.publish(false);
        state.set("NOT_RUNNING");
        publisher.close();
        publisher.close(); // twice is harmless

        assertThat(producer.history()).hasSize(2);
        ProducerRecord<String, StreamsStats> first = producer.history().get(0);
        assertThat(first.topic()).isEqualTo("streams.stats.t");
        assertThat(first.key()).isEqualTo("app/h:1");
        assertThat(first.value().getRecords().getRecordsOut()).isEqualTo(1L);
        assertThat(first.value().getIntervalMs()).isEqualTo(3_000L);
        assertThat(first.value().getLast()).isFalse();
        StreamsStats last = producer.history().get(1).value();
        assertThat(last.getLast()).isTrue();
        assertThat(last.getState()).isEqualTo("NOT_RUNNING");
        assertThat(last.getTimeNs()).isGreaterThanOrEqualTo(first.value().getTimeNs());
        assertThat(publisher.delivered()).isEqualTo(2L);
        assertThat(producer.closed()).isTrue();
    }

    @Test
    void shouldCountAFailedSendAndKeepGoing() {
        MockProducer<String, StreamsStats> producer = new MockProducer<>(false, null, new StringSerializer(), NO_BYTES);
        StreamsStatsPublisher publisher = new StreamsStatsPublisher(producer, "streams.stats", INSTANCE,
                Duration.ofSeconds(1), state::get, counters);

        publisher.publish(false);
        producer.errorNext(new TimeoutException("topic streams.stats not present in metadata"));
        publisher.publish(false);
        producer.completeNext();

        assertThat(publisher.failed()).isEqualTo(1L);
        assertThat(publisher.delivered()).isEqualTo(1L);
    }

    @Test
    void shouldPublishOnItsOwnEveryInterval() throws Exception {
        MockProducer<String, StreamsStats> producer = new MockProducer<>(true, null, new StringSerializer(), NO_BYTES);
        try (StreamsStatsPublisher publisher = new StreamsStatsPublisher(producer, "streams.stats", INSTANCE,
                Duration.ofMillis(100), state::get, counters)) {
            publisher.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (producer.history().size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(producer.history()).hasSizeGreaterThanOrEqualTo(3)
                    .allSatisfy(r -> assertThat(r.value().getLast()).isFalse());
        }
    }
}
