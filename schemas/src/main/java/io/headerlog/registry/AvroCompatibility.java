package io.headerlog.registry;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Schema evolution checks with Avro's own reader/writer resolution rules, the same rules the
 * Confluent registry applies. Public so that tests elsewhere can check that a changed .avsc still
 * evolves BACKWARD-compatibly without a running registry.
 */
public final class AvroCompatibility {

    private AvroCompatibility() {
    }

    /**
     * Whether {@code candidate} may follow {@code previous} (oldest first) under {@code level}.
     * Non-transitive levels look at the newest previous schema only.
     */
    public static boolean isCompatible(Schema candidate, List<Schema> previous, CompatibilityLevel level) {
        if (level == CompatibilityLevel.NONE || previous.isEmpty()) {
            return true;
        }
        List<Schema> checked = level.transitive ? previous : List.of(previous.get(previous.size() - 1));
        for (Schema old : checked) {
            if (level.backward && !canRead(candidate, old)) {
                return false;
            }
            if (level.forward && !canRead(old, candidate)) {
                return false;
            }
        }
        return true;
    }

    /** Whether data written with {@code writer} can be read as {@code reader}. */
    public static boolean canRead(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibilityType.COMPATIBLE;
    }

    /** Human-readable reasons why {@code reader} cannot read {@code writer}'s data (empty if it can). */
    public static String incompatibilities(Schema reader, Schema writer) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
        StringBuilder text = new StringBuilder();
        for (var incompatibility : result.getIncompatibilities()) {
            if (text.length() > 0) {
                text.append("; ");
            }
            text.append(incompatibility.getType()).append(" at ").append(incompatibility.getLocation())
                    .append(": ").append(incompatibility.getMessage());
        }
        return text.toString();
    }
}
