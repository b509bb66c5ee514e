package io.headerlog.collector.sink;

import io.headerlog.registry.RestSchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.schema.CollectorStats;
import io.headerlog.schema.FlowSummary;
import io.headerlog.schema.PacketHeader;
import io.headerlog.serde.ConfluentAvroSerializer;
import io.headerlog.topics.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes PacketHeader records to Kafka in the Confluent wire format: idempotent, lz4-compressed,
 * batched, key = Community ID so every host's records of a flow land in one partition. Delivery is
 * asynchronous; the callback counts acknowledged and failed records.
 */
public final class KafkaSink implements RecordSink {
    /** How long a stop waits for buffered records to be acknowledged. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaProducer<String, SpecificRecordBase> producer;
    private final String topic;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final Callback onDelivery = (metadata, exception) -> {
        if (exception == null) {
            published.incrementAndGet();
        } else {
            errors.incrementAndGet();
            lastError.set(exception.getClass().getSimpleName() + ": " + exception.getMessage());
        }
    };
    private final AtomicLong flowErrors = new AtomicLong();
    private final Callback onFlowDelivery = (metadata, exception) -> {
        if (exception != null) {
            flowErrors.incrementAndGet();
            lastError.set(Topics.FLOWS_RAW + ": " + exception.getMessage());
        }
    };
    private final Callback onStatsDelivery = (metadata, exception) -> {
        if (exception != null) {
            lastError.set("collector.stats: " + exception.getMessage());
        }
    };

    private KafkaSink(KafkaProducer<String, SpecificRecordBase> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    /**
     * Checks that broker and registry answer, creates the topics if missing, and opens the producer.
     *
     * @throws SinkUnavailableException with a one-line reason when the broker or registry is unreachable
     */
    public static KafkaSink open(String bootstrapServers, String registryUrl, String topic, String clientId) {
        SchemaRegistryClient registry = new RestSchemaRegistryClient(registryUrl);
        List<String> topics = List.of(topic, Topics.COLLECTOR_STATS, Topics.FLOWS_RAW); // every topic it writes
        checkBroker(bootstrapServers, topics);
        try {
            registry.subjects();
        } catch (RuntimeException e) {
            throw new SinkUnavailableException("schema registry at " + registryUrl + " is unreachable (" + e.getMessage()
                    + "); start the local stack with './headerlog stack start' or pass --registry-url", e);
        }
        Properties p = producerProperties(bootstrapServers, clientId);
        ConfluentAvroSerializer<SpecificRecordBase> values = new ConfluentAvroSerializer<>(registry, false);
        KafkaProducer<String, SpecificRecordBase> producer = new KafkaProducer<>(p, new StringSerializer(), values);
        // The partitions of every topic it writes, fetched now while the broker answers: a send to a
        // topic the producer has no metadata for blocks for max.block.ms, and the first flow export
        // or the records flushed at a stop would otherwise wait that long per record if the broker
        // has gone since.
        try {
            topics.forEach(producer::partitionsFor);
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw new SinkUnavailableException("Kafka at " + bootstrapServers + " did not give the partitions of the"
                    + " collector's topics (" + rootMessage(e) + "); check the broker's log", e);
        }
        return new KafkaSink(producer, topic);
    }

    /** The collector's producer settings (also what the streams benchmark's synthetic collector uses). */
    public static Properties producerProperties(String bootstrapServers, String clientId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // header records are small and many: bigger batches and a short linger cut per-record cost
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
        // never block the ring reader for long: a full buffer fails fast and is counted
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        // keep the partitions fetched at open however long a topic stays quiet (the default forgets
        // them after 5 minutes): they are three topics, and a send without them blocks
        p.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, Duration.ofDays(1).toMillis());
        return p;
    }

    private static void checkBroker(String bootstrapServers, List<String> topics) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8_000);
        try (Admin admin = Admin.create(p)) {
            admin.describeCluster().clusterId().get(8, TimeUnit.SECONDS);
            Topics.ensureTopics(admin, topics.stream().collect(Collectors.toMap(t -> t, Topics::defaultPartitions)),
                    Duration.ofSeconds(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkUnavailableException("interrupted while checking Kafka at " + bootstrapServers, e);
        } catch (Exception e) {
            throw new SinkUnavailableException("Kafka at " + bootstrapServers + " is unreachable (" + rootMessage(e)
                    + "); start the local stack with './headerlog stack start' or pass --bootstrap-servers", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    @Override
    public void publish(String key, PacketHeader header) {
        try {
            producer.send(new ProducerRecord<>(topic, key, header), onDelivery);
        } catch (RuntimeException e) {
            // buffer full past max.block.ms, serialization failure, producer closed
            errors.incrementAndGet();
            lastError.set(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    @Override
    public void publishStats(CollectorStats stats) {
        try {
            producer.send(new ProducerRecord<>(Topics.COLLECTOR_STATS, stats.getHost(), stats), onStatsDelivery);
        } catch (RuntimeException e) {
            lastError.set("collector.stats: " + e.getMessage());
        }
    }

    @Override
    public void publishFlow(FlowSummary flow) {
        try {
            producer.send(new ProducerRecord<>(Topics.FLOWS_RAW, flow.getCommunityId(), flow), onFlowDelivery);
        } catch (RuntimeException e) {
            flowErrors.incrementAndGet();
            lastError.set(Topics.FLOWS_RAW + ": " + e.getMessage());
        }
    }

    /** FlowSummary records that could not be delivered. */
    public long flowErrors() {
        return flowErrors.get();
    }

    @Override
    public void flush() {
        // the producer batches and lingers by itself; an explicit flush would stall the reader
    }

    @Override
    public long published() {
        return published.get();
    }

    @Override
    public long errors() {
        return errors.get();
    }

    @Override
    public String lastError() {
        return lastError.get();
    }

    /**
     * Sends what is still buffered, for at most {@link #CLOSE_TIMEOUT}; what is unsent by then fails
     * through the callbacks and is counted as errors. Not flush() first: it has no bound but the
     * delivery timeout (two minutes), so a stop while the broker is down would hang that long.
     */
    @Override
    public void close() {
        producer.close(CLOSE_TIMEOUT);
    }
}
