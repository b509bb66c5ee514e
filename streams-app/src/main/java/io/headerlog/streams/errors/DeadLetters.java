package io.headerlog.streams.errors;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Builds the records that go to the dead-letter topic: the input record's bytes exactly as they were
 * read (so it can be replayed once the cause is fixed) and, in headers, why it failed and where it
 * came from. Kafka Streams produces them within the task's transaction, so under exactly-once a
 * record is either processed or dead-lettered, never both or neither.
 */
public final class DeadLetters {
    /** Config key holding the dead-letter topic name. */
    public static final String TOPIC_CONFIG = "headerlog.dlq.topic";

    public static final String REASON = "headerlog.dlq.reason";
    public static final String EXCEPTION = "headerlog.dlq.exception";
    public static final String STAGE = "headerlog.dlq.stage";
    public static final String SOURCE_TOPIC = "headerlog.dlq.topic";
    public static final String SOURCE_PARTITION = "headerlog.dlq.partition";
    public static final String SOURCE_OFFSET = "headerlog.dlq.offset";
    public static final String PROCESSOR = "headerlog.dlq.processor";

    private final String topic;

    public DeadLetters(String topic) {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("dead-letter topic must be set");
        }
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }

    /**
     * The dead letter of one failed input record.
     *
     * @param stage "deserialize" or "process"
     */
    public List<ProducerRecord<byte[], byte[]>> of(String stage, byte[] key, byte[] value, ErrorHandlerContext context,
            Exception exception) {
        Objects.requireNonNull(context, "context");
        Headers headers = new RecordHeaders();
        put(headers, REASON, reason(exception));
        put(headers, EXCEPTION, exception.getClass().getName());
        put(headers, STAGE, stage);
        put(headers, SOURCE_TOPIC, context.topic());
        put(headers, SOURCE_PARTITION, Integer.toString(context.partition()));
        put(headers, SOURCE_OFFSET, Long.toString(context.offset()));
        if (context.processorNodeId() != null) {
            put(headers, PROCESSOR, context.processorNodeId());
        }
        return List.of(new ProducerRecord<>(topic, null, key, value, headers));
    }

    /** The exception's message and those of its causes: what a person reading the DLQ needs first. */
    static String reason(Throwable t) {
        StringBuilder sb = new StringBuilder(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !sb.toString().contains(c.getMessage())) {
                sb.append(" <- ").append(c.getMessage());
            }
        }
        return sb.toString();
    }

    private static void put(Headers headers, String name, String value) {
        headers.add(name, value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8));
    }
}
