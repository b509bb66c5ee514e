package io.headerlog.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/** One registered version of a subject, as the Confluent API describes it. */
public record SchemaVersion(String subject, int version, int id, Schema schema) {
    public SchemaVersion {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, was " + version);
        }
    }
}
