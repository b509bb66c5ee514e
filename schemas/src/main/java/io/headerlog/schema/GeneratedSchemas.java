package io.headerlog.schema;

import io.headerlog.serde.GeneratedClassTrust;

/**
 * Avro 1.12 loads nested generated classes by name (to read them, and to copy the default value of
 * an unset array-of-record field such as {@code Http.headers}) only when their package is trusted.
 * Producers and readers of the generated records call {@link #trust()} once before use.
 */
public final class GeneratedSchemas {
    private GeneratedSchemas() {}

    /** Adds io.headerlog.schema to Avro's trusted packages (idempotent, thread-safe). */
    public static void trust() {
        GeneratedClassTrust.trustPackageOf(PacketHeader.class);
    }
}
