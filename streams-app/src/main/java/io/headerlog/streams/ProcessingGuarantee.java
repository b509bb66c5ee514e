package io.headerlog.streams;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.kafka.streams.StreamsConfig;

/** The two delivery guarantees Kafka Streams 4 still offers, by their config values. */
public enum ProcessingGuarantee {
    AT_LEAST_ONCE(StreamsConfig.AT_LEAST_ONCE),
    EXACTLY_ONCE_V2(StreamsConfig.EXACTLY_ONCE_V2);

    private final String configValue;

    ProcessingGuarantee(String configValue) {
        this.configValue = configValue;
    }

    public String configValue() {
        return configValue;
    }

    /** Accepts the Kafka spelling (exactly_once_v2) as well as the enum name, case-insensitively. */
    public static ProcessingGuarantee parse(String text) {
        String normalized = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (ProcessingGuarantee g : values()) {
            if (g.configValue.equals(normalized)) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown processing guarantee '" + text + "'; use one of "
                + Arrays.stream(values()).map(ProcessingGuarantee::configValue).collect(Collectors.joining(", ")));
    }
}
