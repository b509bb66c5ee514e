package io.headerlog.registry;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry API that headerlog needs. Implementations are
 * thread-safe; {@link #getById} is expected to be cached because deserializers call it per record.
 */
public interface SchemaRegistryClient {

    /**
     * Registers {@code schema} under {@code subject} (idempotent: registering the same schema again
     * returns the same id) and returns its global id.
     *
     * @throws SchemaRegistryException if the registry rejects it, e.g. as incompatible
     */
    int register(String subject, Schema schema);

    /**
     * The schema with global id {@code id}.
     *
     * @throws SchemaRegistryException if no such schema exists (error code 40403) or the call fails
     */
    Schema getById(int id);

    /**
     * The id of {@code schema} if it is registered under {@code subject}, without registering it
     * (what a serializer with auto-registration off uses).
     */
    OptionalInt lookup(String subject, Schema schema);

    /** All subjects that have at least one version. */
    List<String> subjects();

    /**
     * Whether {@code schema} could be registered under {@code subject} under the subject's
     * compatibility level. A subject with no versions is compatible with anything.
     */
    boolean isCompatible(String subject, Schema schema);

    /** The newest version of {@code subject}, or empty when the subject has none. */
    Optional<SchemaVersion> latestVersion(String subject);

    /** Sets the compatibility level of one subject. */
    void setCompatibility(String subject, CompatibilityLevel level);

    /** Sets the registry-wide default compatibility level (Confluent's default is BACKWARD). */
    void setDefaultCompatibility(CompatibilityLevel level);

    /** The TopicNameStrategy subject of a topic: {@code <topic>-key} or {@code <topic>-value}. */
    static String subjectFor(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }
}
