package io.headerlog.streams;

import io.headerlog.registry.SchemaRegistryException;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skips input records whose key or value cannot be deserialized so one bad record does not stop
 * the application, but logs where each one sits and counts it. A dead-letter topic replaces the
 * skip later; until then the log line is the way to find the record again.
 */
public final class CountingDeserializationHandler implements DeserializationExceptionHandler {
    /** Config key under which {@link StreamsAppConfig#streamsProperties} passes the counters object. */
    public static final String COUNTERS_CONFIG = "headerlog.enrich.counters";

    private static final Logger LOG = LoggerFactory.getLogger(CountingDeserializationHandler.class);

    private EnrichCounters counters;

    @Override
    public void configure(Map<String, ?> configs) {
        Object value = configs.get(COUNTERS_CONFIG);
        if (!(value instanceof EnrichCounters c)) {
            throw new IllegalStateException(COUNTERS_CONFIG + " must hold an EnrichCounters instance; build the "
                    + "properties with StreamsAppConfig.streamsProperties(counters)");
        }
        this.counters = c;
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        SchemaRegistryException registryDown = registryOutage(exception);
        if (registryDown != null) {
            // Not a bad record: every following record would fail the same way, and skipping them
            // all would lose data. Stop so the operator can bring the registry back and restart.
            LOG.error("cannot read {}-{}@{}: schema registry unavailable ({}); stopping instead of skipping records",
                    record.topic(), record.partition(), record.offset(), registryDown.getMessage());
            return Response.fail();
        }
        counters.recordDeserializationFailure();
        LOG.warn("skipping undecodable record {}-{}@{} (task {}, {} value bytes): {}",
                record.topic(), record.partition(), record.offset(), context.taskId(),
                record.value() == null ? 0 : record.value().length, describe(exception));
        return Response.resume();
    }

    /** The registry error in the cause chain if it says the registry was unreachable or broken (5xx). */
    static SchemaRegistryException registryOutage(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SchemaRegistryException e && (e.httpStatus() == -1 || e.httpStatus() >= 500)) {
                return e;
            }
        }
        return null;
    }

    private static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder(t.toString());
        for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            sb.append(" <- ").append(c);
        }
        return sb.toString();
    }
}
