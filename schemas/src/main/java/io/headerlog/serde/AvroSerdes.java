package io.headerlog.serde;

import io.headerlog.registry.SchemaRegistryClient;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Kafka Serdes of the Confluent wire format over a given registry client. */
public final class AvroSerdes {

    private AvroSerdes() {
    }

    /** Serde of a generated Avro class; the subject is {@code <topic>-key} or {@code <topic>-value}. */
    public static <T extends SpecificRecord> Serde<T> specific(Class<T> type, SchemaRegistryClient registry, boolean isKey) {
        return Serdes.serdeFrom(new ConfluentAvroSerializer<T>(registry, isKey),
                ConfluentAvroDeserializer.specific(registry, type));
    }

    /** Serde of GenericRecord, read with the writer's schema. */
    public static Serde<GenericRecord> generic(SchemaRegistryClient registry, boolean isKey) {
        return Serdes.serdeFrom(new ConfluentAvroSerializer<>(registry, isKey), ConfluentAvroDeserializer.generic(registry));
    }
}
