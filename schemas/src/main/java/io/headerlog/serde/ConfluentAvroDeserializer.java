package io.headerlog.serde;

import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format Avro: fetches the writer schema by the id in the header (once per id)
 * and resolves it into the reader schema — the generated class's schema for a specific
 * deserializer, so records written with an older schema get the newer fields' defaults.
 */
public final class ConfluentAvroDeserializer<T> implements Deserializer<T> {

    private static final ThreadLocal<BinaryDecoder[]> DECODERS = ThreadLocal.withInitial(() -> new BinaryDecoder[1]);

    private SchemaRegistryClient registry;
    private final Class<? extends SpecificRecord> specificType;
    private boolean specificByName;
    private final Map<Integer, DatumReader<T>> readersById = new ConcurrentHashMap<>();

    /**
     * For Kafka's instantiation by class name: reads GenericRecord, or with
     * {@code specific.avro.reader=true} the generated class named by the writer schema.
     */
    public ConfluentAvroDeserializer() {
        this.specificType = null;
    }

    /** Reads into {@code specificType}; {@code null} reads GenericRecord with the writer's schema. */
    public ConfluentAvroDeserializer(SchemaRegistryClient registry, Class<? extends SpecificRecord> specificType) {
        this.registry = java.util.Objects.requireNonNull(registry, "registry");
        this.specificType = specificType;
    }

    public static <R extends SpecificRecord> ConfluentAvroDeserializer<R> specific(SchemaRegistryClient registry,
            Class<R> type) {
        return new ConfluentAvroDeserializer<>(registry, java.util.Objects.requireNonNull(type, "type"));
    }

    public static ConfluentAvroDeserializer<GenericRecord> generic(SchemaRegistryClient registry) {
        return new ConfluentAvroDeserializer<>(registry, null);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.registry = SerdeConfig.registryFrom(configs, registry);
        this.specificByName = SerdeConfig.flag(configs, SerdeConfig.SPECIFIC_READER, specificByName);
        readersById.clear();
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        int id = ConfluentWireFormat.schemaId(bytes, topic);
        DatumReader<T> reader = readerFor(id, topic);
        BinaryDecoder[] holder = DECODERS.get();
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, ConfluentWireFormat.HEADER_LENGTH,
                bytes.length - ConfluentWireFormat.HEADER_LENGTH, holder[0]);
        holder[0] = decoder;
        try {
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot decode a record of topic " + topic + " with writer schema id " + id
                    + " (" + bytes.length + " bytes): " + e.getMessage(), e);
        }
    }

    private DatumReader<T> readerFor(int id, String topic) {
        DatumReader<T> reader = readersById.get(id);
        if (reader != null) {
            return reader;
        }
        if (registry == null) {
            throw new SerializationException("ConfluentAvroDeserializer has no schema registry: construct it with one"
                    + " or configure " + SerdeConfig.REGISTRY_URL);
        }
        Schema writer;
        try {
            writer = registry.getById(id);
        } catch (SchemaRegistryException e) {
            throw new SerializationException("Cannot get writer schema id " + id + " of a record in topic " + topic
                    + ": " + e.getMessage(), e);
        }
        reader = newReader(writer, topic);
        DatumReader<T> raced = readersById.putIfAbsent(id, reader);
        return raced != null ? raced : reader;
    }

    @SuppressWarnings("unchecked")
    private DatumReader<T> newReader(Schema writer, String topic) {
        Class<?> type = specificType;
        if (type == null && specificByName) {
            type = classNamed(writer);
            if (type == null) {
                throw new SerializationException("No generated class " + writer.getFullName() + " on the classpath for a"
                        + " record of topic " + topic + "; set " + SerdeConfig.SPECIFIC_READER + "=false to read GenericRecord");
            }
        }
        // Datum readers cache their resolver per thread, so one per writer schema serves all threads.
        if (type != null) {
            GeneratedClassTrust.trustPackageOf(type);
            SpecificData model = SpecificData.getForClass(type);
            Schema readerSchema = model.getSchema(type);
            return (DatumReader<T>) new SpecificDatumReader<>(writer, readerSchema, model);
        }
        return (DatumReader<T>) new GenericDatumReader<>(writer, writer, GenericData.get());
    }

    private static Class<?> classNamed(Schema writer) {
        // Avro's own lookup would consult its class trust list, which a by-name reader has to bypass.
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> type = Class.forName(writer.getFullName(), false,
                    loader != null ? loader : ConfluentAvroDeserializer.class.getClassLoader());
            return SpecificRecord.class.isAssignableFrom(type) ? type : null;
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
