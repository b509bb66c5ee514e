package io.headerlog.tools.tail;

import io.headerlog.json.AvroJson;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryException;
import io.headerlog.serde.ConfluentAvroDeserializer;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Prints a topic's Avro records as JSON lines, decoded through the registry as GenericRecord (any
 * schema, no generated class needed). Reads without a consumer group: partitions are assigned
 * directly, nothing is committed, and any number of tails can run side by side.
 */
public final class TopicTail {

    /**
     * @param max          stop after this many records; 0 = no limit
     * @param idleTimeout  stop when no record arrived for this long; zero = never
     * @param withMetadata wrap each record as {"topic","partition","offset","timestamp","key","value"}
     */
    public record Options(String topic, boolean fromBeginning, long max, Duration idleTimeout, boolean withMetadata) {
        public Options {
            Objects.requireNonNull(topic, "topic");
            if (topic.isBlank()) {
                throw new IllegalArgumentException("topic name is empty");
            }
            if (max < 0) {
                throw new IllegalArgumentException("--max must be 0 (no limit) or positive, was " + max);
            }
            if (idleTimeout == null || idleTimeout.isNegative()) {
                throw new IllegalArgumentException("--timeout must be 0 (none) or positive, was " + idleTimeout);
            }
        }
    }

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

    private final String bootstrapServers;
    private final SchemaRegistryClient registry;
    private final Options options;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private volatile boolean stopRequested;

    public TopicTail(String bootstrapServers, SchemaRegistryClient registry, Options options) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** Prints records to {@code out} until --max, the idle timeout or {@link #stop()}; returns how many. */
    public long run(PrintWriter out, PrintWriter err) {
        checkRegistry();
        List<TopicPartition> partitions = partitions();
        ConfluentAvroDeserializer<GenericRecord> values = ConfluentAvroDeserializer.generic(registry);
        StringBuilder line = new StringBuilder(1024);
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "headerlog-tail"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer = kafka;
            kafka.assign(partitions);
            if (options.fromBeginning()) {
                kafka.seekToBeginning(partitions);
            } else {
                kafka.seekToEnd(partitions);
            }
            partitions.forEach(kafka::position);
            long lastRecord = System.nanoTime();
            while (!stopRequested && (options.max() == 0 || count < options.max())) {
                boolean printed = false;
                for (ConsumerRecord<byte[], byte[]> record : kafka.poll(Duration.ofMillis(200))) {
                    line.setLength(0);
                    if (!format(record, values, line, err)) {
                        continue;
                    }
                    out.append(line).append('\n');
                    printed = true;
                    count++;
                    if (options.max() > 0 && count >= options.max()) {
                        break;
                    }
                }
                if (printed) {
                    out.flush();
                    lastRecord = System.nanoTime();
                } else if (!options.idleTimeout().isZero()
                        && System.nanoTime() - lastRecord > options.idleTimeout().toNanos()) {
                    break;
                }
            }
        } catch (WakeupException stopped) {
            // stop() from Ctrl-C
        } finally {
            consumer = null;
            out.flush();
        }
        return count;
    }

    /** Ends {@link #run} from another thread (Ctrl-C). */
    public void stop() {
        stopRequested = true;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    private boolean format(ConsumerRecord<byte[], byte[]> record, ConfluentAvroDeserializer<GenericRecord> values,
            StringBuilder line, PrintWriter err) {
        GenericRecord value;
        try {
            value = values.deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            if (e.getCause() instanceof SchemaRegistryException registryError && registryError.httpStatus() < 0) {
                throw new TailException(registryError.getMessage(), e);
            }
            err.println("tail: skipping the record at partition " + record.partition() + " offset " + record.offset()
                    + ": " + e.getMessage());
            err.flush();
            return false;
        }
        if (!options.withMetadata()) {
            AvroJson.append(line, value);
            return true;
        }
        line.append("{\"topic\":");
        AvroJson.writeString(line, record.topic());
        line.append(",\"partition\":").append(record.partition())
                .append(",\"offset\":").append(record.offset())
                .append(",\"timestamp\":").append(record.timestamp())
                .append(",\"key\":");
        if (record.key() == null) {
            line.append("null");
        } else {
            AvroJson.writeString(line, new String(record.key(), StandardCharsets.UTF_8));
        }
        line.append(",\"value\":");
        AvroJson.append(line, value);
        line.append('}');
        return true;
    }

    private void checkRegistry() {
        try {
            registry.subjects();
        } catch (SchemaRegistryException e) {
            throw new TailException(e.getMessage(), e);
        }
    }

    private List<TopicPartition> partitions() {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CHECK_TIMEOUT.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CHECK_TIMEOUT.toMillis()))) {
            TopicDescription description;
            try {
                description = admin.describeTopics(List.of(options.topic())).allTopicNames()
                        .get(CHECK_TIMEOUT.toMillis() + 2000, TimeUnit.MILLISECONDS).get(options.topic());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    throw new TailException("Topic '" + options.topic() + "' does not exist at " + bootstrapServers
                            + "; topics there: " + existingTopics(admin));
                }
                throw unreachable(e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                throw unreachable(e);
            }
            return description.partitions().stream()
                    .map(p -> new TopicPartition(options.topic(), p.partition())).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TailException("Interrupted while looking up topic " + options.topic(), e);
        }
    }

    private TailException unreachable(Throwable cause) {
        return new TailException("Cannot reach the Kafka broker at " + bootstrapServers + " within "
                + CHECK_TIMEOUT.toSeconds() + " s (" + cause.getClass().getSimpleName() + "). Start the local stack with"
                + " `./headerlog stack start`, or pass --bootstrap-servers.", cause);
    }

    private static String existingTopics(Admin admin) throws InterruptedException {
        try {
            return new TreeSet<>(admin.listTopics().names().get(CHECK_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).toString();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return "(cannot list: " + e.getMessage() + ")";
        }
    }
}
