package io.headerlog.streams.errors;

import io.headerlog.registry.SchemaRegistryException;
import io.headerlog.streams.EnrichCounters;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An input record whose key or value cannot be deserialized goes to the dead-letter topic with the
 * reason, and the application keeps running. A schema registry that is down is not a bad record:
 * every following record would fail the same way, so the application stops instead.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private EnrichCounters counters;
    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        counters = HandlerConfigs.counters(configs);
        deadLetters = HandlerConfigs.deadLetters(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        SchemaRegistryException registryDown = registryOutage(exception);
        if (registryDown != null) {
            // Skipping (or dead-lettering) them all would lose data: stop so the operator can bring
            // the registry back and restart from the committed offsets.
            LOG.error("cannot read {}-{}@{}: schema registry unavailable ({}); stopping instead of skipping records",
                    record.topic(), record.partition(), record.offset(), registryDown.getMessage());
            return Response.fail();
        }
        counters.recordDeserializationFailure();
        LOG.warn("undecodable record {}-{}@{} ({} value bytes) sent to {}: {}", record.topic(), record.partition(),
                record.offset(), record.value() == null ? 0 : record.value().length, deadLetters.topic(),
                DeadLetters.reason(exception));
        return Response.resume(deadLetters.of("deserialize", record.key(), record.value(), context, exception));
    }

    /** The registry error in the cause chain if it says the registry was unreachable or broken (5xx). */
    public static SchemaRegistryException registryOutage(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SchemaRegistryException e && (e.httpStatus() == -1 || e.httpStatus() >= 500)) {
                return e;
            }
        }
        return null;
    }
}
