package io.headerlog.streams.errors;

import io.headerlog.streams.EnrichCounters;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that a processor throws on goes to the dead-letter topic with the reason, and the
 * application keeps processing: one bad record must not stop the stream for every host.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);

    private EnrichCounters counters;
    private DeadLetters deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        counters = HandlerConfigs.counters(configs);
        deadLetters = HandlerConfigs.deadLetters(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        counters.recordDeadLetter();
        LOG.warn("processor {} failed on {}-{}@{}; record sent to {}: {}", context.processorNodeId(), context.topic(),
                context.partition(), context.offset(), deadLetters.topic(), DeadLetters.reason(exception));
        return Response.resume(deadLetters.of("process", context.sourceRawKey(), context.sourceRawValue(), context,
                exception));
    }
}
