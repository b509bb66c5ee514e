package io.headerlog.streams.align;

import io.headerlog.streams.clock.ClockSample;
import io.headerlog.streams.clock.ClockSampleCodec;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * ClockSample on the app's internal clock-samples topic, in the versioned binary layout of
 * {@link ClockSampleCodec}. The topic is private to the app, so a compact fixed layout serves better
 * than a registry round trip per sample.
 */
public final class ClockSampleSerde implements Serde<ClockSample> {

    @Override
    public Serializer<ClockSample> serializer() {
        return (topic, sample) -> sample == null ? null : ClockSampleCodec.encode(sample);
    }

    @Override
    public Deserializer<ClockSample> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try {
                return ClockSampleCodec.decode(data);
            } catch (RuntimeException e) {
                throw new SerializationException("malformed clock sample on " + topic + " (" + data.length + " bytes): "
                        + e.getMessage(), e);
            }
        };
    }
}
