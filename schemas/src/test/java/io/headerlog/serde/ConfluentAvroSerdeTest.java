package io.headerlog.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.headerlog.registry.CompatibilityLevel;
import io.headerlog.registry.InMemorySchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import io.headerlog.registry.SchemaVersion;
import io.headerlog.schema.PacketHeader;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerdeTest {

    private static final String TOPIC = "headers.raw";
    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

    @Test
    void shouldRoundTripAGeneratedRecord() {
        Serde<PacketHeader> serde = AvroSerdes.specific(PacketHeader.class, registry, false);
        PacketHeader original = TestRecords.httpRequest();

        byte[] bytes = serde.serializer().serialize(TOPIC, original);
        PacketHeader back = serde.deserializer().deserialize(TOPIC, bytes);

        assertThat(back).isEqualTo(original);
        assertThat(back.getHttp().getTarget()).isEqualTo("/a \"quoted\"\\path\n");
        assertThat(registry.subjects()).containsExactly("headers.raw-value");
    }

    @Test
    void shouldWriteMagicByteBigEndianIdAndPlainAvroBinary() throws Exception {
        SchemaRegistryClient fixedId = new FixedIdRegistry(0x01020304);
        PacketHeader record = TestRecords.syn();

        byte[] bytes = new ConfluentAvroSerializer<PacketHeader>(fixedId, false).serialize(TOPIC, record);

        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        var encoder = EncoderFactory.get().binaryEncoder(plain, null);
        new SpecificDatumWriter<>(PacketHeader.class).write(record, encoder);
        encoder.flush();
        assertThat(Arrays.copyOfRange(bytes, 0, 5)).containsExactly(0, 1, 2, 3, 4);
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(plain.toByteArray());
        assertThat(ConfluentWireFormat.schemaId(bytes, TOPIC)).isEqualTo(0x01020304);
    }

    @Test
    void shouldRoundTripAGenericRecordWithEveryType() {
        Serde<GenericRecord> serde = AvroSerdes.generic(registry, false);
        GenericRecord original = TestRecords.everything();

        GenericRecord back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", original));

        assertThat(back.getSchema()).isEqualTo(original.getSchema());
        assertThat(back.toString()).isEqualTo(original.toString());
    }

    @Test
    void shouldReadARecordWrittenWithAnOlderSchemaIntoTheNewClassWithDefaults() throws Exception {
        Schema older = withoutFields(PacketHeader.getClassSchema(), Set.of("gsoSegs", "parseFlags", "packetHash", "sampleRate"));
        GenericRecord oldRecord = convert(TestRecords.syn(), older);
        byte[] written = new ConfluentAvroSerializer<GenericRecord>(registry, false).serialize(TOPIC, oldRecord);

        PacketHeader read = ConfluentAvroDeserializer.specific(registry, PacketHeader.class).deserialize(TOPIC, written);

        assertThat(read.getGsoSegs()).isEqualTo(1);
        assertThat(read.getSampleRate()).isEqualTo(1);
        assertThat(read.getParseFlags()).isEmpty();
        assertThat(read.getPacketHash()).isNull();
        assertThat(read.getTcp()).isEqualTo(TestRecords.syn().getTcp());
        assertThat(read.getCommunityId()).isEqualTo(TestRecords.syn().getCommunityId());
        // the class's schema is the older one's BACKWARD-compatible successor
        assertThat(registry.isCompatible(TOPIC + "-value", PacketHeader.getClassSchema())).isTrue();
    }

    @Test
    void shouldRegisterOncePerSubjectAndCacheTheId() {
        CountingRegistry counting = new CountingRegistry(registry);
        ConfluentAvroSerializer<PacketHeader> serializer = new ConfluentAvroSerializer<>(counting, false);

        for (int i = 0; i < 1000; i++) {
            serializer.serialize(TOPIC, TestRecords.syn());
        }
        serializer.serialize("other", TestRecords.syn());

        assertThat(counting.registrations).hasValue(2);
        assertThat(registry.subjects()).containsExactly("headers.raw-value", "other-value");
    }

    @Test
    void shouldUseTheKeySubjectForAKeySerializer() {
        new ConfluentAvroSerializer<PacketHeader>(registry, true).serialize(TOPIC, TestRecords.syn());

        assertThat(registry.subjects()).containsExactly("headers.raw-key");
    }

    @Test
    void shouldLookUpInsteadOfRegisteringWhenAutoRegistrationIsOff() {
        ConfluentAvroSerializer<PacketHeader> serializer = new ConfluentAvroSerializer<>(registry, false, false);

        assertThatThrownBy(() -> serializer.serialize(TOPIC, TestRecords.syn()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not registered under subject headers.raw-value");

        int id = registry.register(TOPIC + "-value", PacketHeader.getClassSchema());
        assertThat(ConfluentWireFormat.schemaId(serializer.serialize(TOPIC, TestRecords.syn()), TOPIC)).isEqualTo(id);
    }

    @Test
    void shouldRejectABadMagicByte() {
        byte[] bytes = AvroSerdes.specific(PacketHeader.class, registry, false).serializer().serialize(TOPIC, TestRecords.syn());
        bytes[0] = 1;

        assertThatThrownBy(() -> ConfluentAvroDeserializer.generic(registry).deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("magic byte");
    }

    @Test
    void shouldRejectARecordShorterThanTheHeader() {
        assertThatThrownBy(() -> ConfluentAvroDeserializer.generic(registry).deserialize(TOPIC, new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("fewer than the 5-byte");
    }

    @Test
    void shouldRejectAnUnknownSchemaId() {
        byte[] bytes = new ConfluentAvroSerializer<PacketHeader>(new FixedIdRegistry(4242), false).serialize(TOPIC, TestRecords.syn());

        assertThatThrownBy(() -> ConfluentAvroDeserializer.specific(registry, PacketHeader.class).deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id 4242");
    }

    @Test
    void shouldReportATruncatedBody() {
        byte[] bytes = AvroSerdes.specific(PacketHeader.class, registry, false).serializer().serialize(TOPIC, TestRecords.syn());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 20);

        assertThatThrownBy(() -> ConfluentAvroDeserializer.specific(registry, PacketHeader.class).deserialize(TOPIC, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot decode a record of topic headers.raw");
    }

    @Test
    void shouldPassNullThrough() {
        Serde<PacketHeader> serde = AvroSerdes.specific(PacketHeader.class, registry, false);

        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    }

    @Test
    void shouldReadIntoTheGeneratedClassNamedByTheWriterSchemaWhenConfiguredSo() {
        byte[] bytes = AvroSerdes.specific(PacketHeader.class, registry, false).serializer().serialize(TOPIC, TestRecords.syn());
        ConfluentAvroDeserializer<Object> byName = new ConfluentAvroDeserializer<>(registry, null);
        byName.configure(Map.of(SerdeConfig.SPECIFIC_READER, "true"), false);

        assertThat(byName.deserialize(TOPIC, bytes)).isInstanceOf(PacketHeader.class).isEqualTo(TestRecords.syn());
    }

    @Test
    void shouldRequireARegistryUrlWhenConfiguredByKafka() {
        assertThatThrownBy(() -> new ConfluentAvroSerializer<PacketHeader>().configure(Map.of(), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void shouldSerializeFromManyThreadsWithoutMixingBuffers() throws Exception {
        Serde<PacketHeader> serde = AvroSerdes.specific(PacketHeader.class, registry, false);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2000; i++) {
                        PacketHeader record = TestRecords.httpRequest();
                        record.setIfIndex(thread * 100_000 + i);
                        record.getHttp().setTarget("/t" + thread + "/" + "x".repeat(i % 300));
                        PacketHeader back = serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, record));
                        if (!back.equals(record)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static Schema withoutFields(Schema schema, Set<String> dropped) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode json = (ObjectNode) mapper.readTree(schema.toString());
        ArrayNode kept = mapper.createArrayNode();
        json.withArray("fields").forEach(field -> {
            if (!dropped.contains(field.get("name").asText())) {
                kept.add(field);
            }
        });
        json.set("fields", kept);
        return new Schema.Parser().parse(json.toString());
    }

    /** Re-reads a record into another schema with Avro's own resolution (drops the removed fields). */
    static GenericRecord convert(PacketHeader record, Schema target) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        var encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<>(PacketHeader.class).write(record, encoder);
        encoder.flush();
        return new GenericDatumReader<GenericRecord>(PacketHeader.getClassSchema(), target)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    }

    /** Answers every registration with one id; knows no schema by id. */
    private record FixedIdRegistry(int id) implements SchemaRegistryClient {
        @Override
        public int register(String subject, Schema schema) {
            return id;
        }

        @Override
        public Schema getById(int id) {
            throw new io.headerlog.registry.SchemaRegistryException("Schema " + id + " not found", 404, 40403);
        }

        @Override
        public OptionalInt lookup(String subject, Schema schema) {
            return OptionalInt.of(id);
        }

        @Override
        public List<String> subjects() {
            return List.of();
        }

        @Override
        public boolean isCompatible(String subject, Schema schema) {
            return true;
        }

        @Override
        public Optional<SchemaVersion> latestVersion(String subject) {
            return Optional.empty();
        }

        @Override
        public void setCompatibility(String subject, CompatibilityLevel level) {
        }

        @Override
        public void setDefaultCompatibility(CompatibilityLevel level) {
        }
    }

    private static final class CountingRegistry implements SchemaRegistryClient {
        final SchemaRegistryClient delegate;
        final AtomicInteger registrations = new AtomicInteger();

        CountingRegistry(SchemaRegistryClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public int register(String subject, Schema schema) {
            registrations.incrementAndGet();
            return delegate.register(subject, schema);
        }

        @Override
        public Schema getById(int id) {
            return delegate.getById(id);
        }

        @Override
        public OptionalInt lookup(String subject, Schema schema) {
            return delegate.lookup(subject, schema);
        }

        @Override
        public List<String> subjects() {
            return delegate.subjects();
        }

        @Override
        public boolean isCompatible(String subject, Schema schema) {
            return delegate.isCompatible(subject, schema);
        }

        @Override
        public Optional<SchemaVersion> latestVersion(String subject) {
            return delegate.latestVersion(subject);
        }

        @Override
        public void setCompatibility(String subject, CompatibilityLevel level) {
            delegate.setCompatibility(subject, level);
        }

        @Override
        public void setDefaultCompatibility(CompatibilityLevel level) {
            delegate.setDefaultCompatibility(level);
        }
    }
}
