package io.headerlog.json;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificData;

/**
 * Writes an Avro record (generated or generic) as one line of plain JSON, the form people read and
 * jq filters: field names as in the schema, unions unwrapped (null or the value itself, not Avro's
 * {"string": ...} form), longs as numbers, bytes and fixed as base64, maps as objects, enums as
 * strings. Non-finite floats become the strings "NaN", "Infinity", "-Infinity" since JSON has no
 * such numbers. Values of a logical type converted to Java objects are written as their string form.
 *
 * <p>Walks the schema with a caller-owned StringBuilder: no reflection and no intermediate tree, so
 * a collector can print ~100k records/s. Thread-safe (no shared state).
 */
public final class AvroJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private AvroJson() {
    }

    /** The record as one line of JSON (no trailing newline). */
    public static String toJson(IndexedRecord record) {
        StringBuilder out = new StringBuilder(512);
        append(out, record);
        return out.toString();
    }

    /** Appends the record as one line of JSON (no trailing newline) and returns {@code out}. */
    public static StringBuilder append(StringBuilder out, IndexedRecord record) {
        if (record == null) {
            return out.append("null");
        }
        writeRecord(out, record);
        return out;
    }

    private static void writeRecord(StringBuilder out, IndexedRecord record) {
        List<Schema.Field> fields = record.getSchema().getFields();
        out.append('{');
        for (int i = 0, n = fields.size(); i < n; i++) {
            Schema.Field field = fields.get(i);
            if (i > 0) {
                out.append(',');
            }
            // Avro names are [A-Za-z_][A-Za-z0-9_]*: nothing to escape.
            out.append('"').append(field.name()).append("\":");
            writeValue(out, field.schema(), record.get(field.pos()));
        }
        out.append('}');
    }

    private static void writeValue(StringBuilder out, Schema schema, Object value) {
        if (value == null) {
            out.append("null");
            return;
        }
        switch (schema.getType()) {
            case UNION -> writeValue(out, branchOf(schema, value), value);
            case RECORD -> {
                if (value instanceof IndexedRecord record) {
                    writeRecord(out, record);
                } else {
                    writeString(out, value.toString());
                }
            }
            case STRING -> writeString(out, value instanceof CharSequence text ? text : value.toString());
            case INT, LONG -> {
                if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
                    out.append(((Number) value).longValue());
                } else {
                    writeString(out, value.toString());
                }
            }
            case FLOAT -> {
                if (value instanceof Float f) {
                    writeFloating(out, f.isNaN() || f.isInfinite(), f.toString());
                } else {
                    writeString(out, value.toString());
                }
            }
            case DOUBLE -> {
                if (value instanceof Double d) {
                    writeFloating(out, d.isNaN() || d.isInfinite(), d.toString());
                } else {
                    writeString(out, value.toString());
                }
            }
            case BOOLEAN -> out.append(value instanceof Boolean b ? b.toString() : value.toString());
            case ENUM -> writeString(out, value instanceof Enum<?> e ? e.name() : value.toString());
            case BYTES -> writeBytes(out, value);
            case FIXED -> writeBytes(out, value instanceof GenericFixed fixed ? fixed.bytes() : value);
            case ARRAY -> writeArray(out, schema.getElementType(), value);
            case MAP -> writeMap(out, schema.getValueType(), value);
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException("unknown Avro type " + schema.getType());
        }
    }

    private static Schema branchOf(Schema union, Object value) {
        List<Schema> branches = union.getTypes();
        // The common optional field ["null", T]: no lookup needed for a non-null value.
        if (branches.size() == 2) {
            if (branches.get(0).getType() == Schema.Type.NULL) {
                return branches.get(1);
            }
            if (branches.get(1).getType() == Schema.Type.NULL) {
                return branches.get(0);
            }
        }
        // SpecificData resolves both generic values and generated classes (e.g. Java enums).
        return branches.get(SpecificData.get().resolveUnion(union, value));
    }

    private static void writeFloating(StringBuilder out, boolean nonFinite, String text) {
        if (nonFinite) {
            out.append('"').append(text).append('"');
        } else {
            out.append(text);
        }
    }

    private static void writeBytes(StringBuilder out, Object value) {
        byte[] bytes;
        if (value instanceof ByteBuffer buffer) {
            ByteBuffer view = buffer.duplicate();
            bytes = new byte[view.remaining()];
            view.get(bytes);
        } else if (value instanceof byte[] array) {
            bytes = array;
        } else {
            writeString(out, value.toString());
            return;
        }
        out.append('"').append(BASE64.encodeToString(bytes)).append('"');
    }

    private static void writeArray(StringBuilder out, Schema elementType, Object value) {
        out.append('[');
        if (value instanceof List<?> list) {
            for (int i = 0, n = list.size(); i < n; i++) {
                if (i > 0) {
                    out.append(',');
                }
                writeValue(out, elementType, list.get(i));
            }
        } else {
            boolean first = true;
            for (Object element : (Collection<?>) value) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeValue(out, elementType, element);
            }
        }
        out.append(']');
    }

    private static void writeMap(StringBuilder out, Schema valueType, Object value) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            writeString(out, String.valueOf(entry.getKey()));
            out.append(':');
            writeValue(out, valueType, entry.getValue());
        }
        out.append('}');
    }

    /** Appends {@code text} as a JSON string literal with RFC 8259 escaping. */
    public static void writeString(StringBuilder out, CharSequence text) {
        out.append('"');
        int start = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(text, start, i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
            start = i + 1;
        }
        out.append(text, start, length).append('"');
    }
}
