package io.headerlog.streams.errors;

import io.headerlog.streams.EnrichCounters;
import java.util.Map;

/** What the exception handlers read from the Streams config (Kafka instantiates them by class). */
public final class HandlerConfigs {
    /** Config key under which StreamsAppConfig passes the counters object. */
    public static final String COUNTERS = "headerlog.enrich.counters";

    private HandlerConfigs() {
    }

    static EnrichCounters counters(Map<String, ?> configs) {
        Object value = configs.get(COUNTERS);
        if (!(value instanceof EnrichCounters c)) {
            throw new IllegalStateException(COUNTERS + " must hold an EnrichCounters instance; build the "
                    + "properties with StreamsAppConfig.streamsProperties(counters)");
        }
        return c;
    }

    static DeadLetters deadLetters(Map<String, ?> configs) {
        Object value = configs.get(DeadLetters.TOPIC_CONFIG);
        if (!(value instanceof String topic) || topic.isBlank()) {
            throw new IllegalStateException(DeadLetters.TOPIC_CONFIG + " must name the dead-letter topic; build the "
                    + "properties with StreamsAppConfig.streamsProperties(counters)");
        }
        return new DeadLetters(topic);
    }
}
