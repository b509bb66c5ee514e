package io.headerlog.streams.filter;

import dev.cel.common.exceptions.CelAttributeNotFoundException;
import dev.cel.common.values.CelByteString;
import dev.cel.common.values.SelectableValue;
import java.nio.ByteBuffer;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * Avro values as the CEL runtime takes them, converted lazily: a record is a struct value over the
 * record that converts a field only when the expression reads it, so a filter that looks at two
 * fields pays for two fields, not for the whole record.
 *
 * <p>Values: int → {@link Long}, float → {@link Double}, string/enum → {@link String}, bytes/fixed
 * → {@link CelByteString}, array → list view, map → map with converted values, record → struct view.
 * A null field (an absent optional value) is an absent field: {@code has(header.tcp)} is false and
 * {@code header.tcp.dstPort} is an evaluation error ("field 'tcp' is absent"), which {@code &&}/{@code ||} absorb
 * when the other side decides.
 *
 * <p>The views read the record as it is when the expression runs; they are meant to live for one
 * evaluation.
 */
final class AvroCelValues {
    private AvroCelValues() {
    }

    static Object convert(Object value, Schema schema) {
        if (value == null) {
            return null;
        }
        switch (schema.getType()) {
            case INT:
            case LONG:
                return ((Number) value).longValue();
            case FLOAT:
            case DOUBLE:
                return ((Number) value).doubleValue();
            case BOOLEAN:
                return value;
            case STRING:
                return value.toString();
            case ENUM:
                return value.toString();
            case BYTES:
                return bytes(value);
            case FIXED:
                return CelByteString.of(((GenericFixed) value).bytes().clone());
            case ARRAY:
                return new ListView((List<?>) value, schema.getElementType());
            case MAP:
                return mapOf((Map<?, ?>) value, schema.getValueType());
            case RECORD:
                return new RecordView((IndexedRecord) value);
            case UNION:
                return convertUnion(value, schema);
            case NULL:
            default:
                return null;
        }
    }

    private static Object convertUnion(Object value, Schema union) {
        Schema nonNull = AvroCelTypes.nonNullBranch(union);
        if (nonNull != null) {
            return convert(value, nonNull);
        }
        // A general union: find the branch the value belongs to, as Avro's GenericData would.
        for (Schema branch : union.getTypes()) {
            if (matches(value, branch)) {
                return convert(value, branch);
            }
        }
        return value;
    }

    private static boolean matches(Object value, Schema branch) {
        switch (branch.getType()) {
            case INT:
                return value instanceof Integer;
            case LONG:
                return value instanceof Long;
            case FLOAT:
                return value instanceof Float;
            case DOUBLE:
                return value instanceof Double;
            case BOOLEAN:
                return value instanceof Boolean;
            case STRING:
                return value instanceof CharSequence;
            case BYTES:
                return value instanceof ByteBuffer || value instanceof byte[];
            case ENUM:
                return value instanceof GenericEnumSymbol || value instanceof Enum;
            case FIXED:
                return value instanceof GenericFixed;
            case ARRAY:
                return value instanceof List;
            case MAP:
                return value instanceof Map;
            case RECORD:
                return value instanceof IndexedRecord
                        && ((IndexedRecord) value).getSchema().getFullName().equals(branch.getFullName());
            default:
                return false;
        }
    }

    private static CelByteString bytes(Object value) {
        if (value instanceof byte[]) {
            return CelByteString.of(((byte[]) value).clone());
        }
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] copy = new byte[buffer.remaining()];
        buffer.get(copy);
        return CelByteString.of(copy);
    }

    private static Map<String, Object> mapOf(Map<?, ?> map, Schema valueSchema) {
        Map<String, Object> converted = new LinkedHashMap<>(Math.max(4, map.size() * 2));
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object v = convert(e.getValue(), valueSchema);
            if (v != null) {
                converted.put(e.getKey().toString(), v);
            }
        }
        return converted;
    }

    /**
     * A record as a CEL selectable value (struct) whose fields are converted when selected. Neither a
     * {@link Map} nor a CelValue, on purpose: the planner runtime walks every entry of a map (the whole
     * record, recursively) each time it resolves a field, and unwraps a CelValue to its Java value (the
     * Avro record, which it cannot select on) when it passes through a list or a comprehension; a plain
     * {@link SelectableValue} it leaves as it is and selects on.
     */
    static final class RecordView implements SelectableValue<String> {
        private final IndexedRecord record;
        private final Schema schema;

        RecordView(IndexedRecord record) {
            this.record = record;
            this.schema = record.getSchema();
        }

        @Override
        public Object select(String field) {
            Schema.Field f = schema.getField(field);
            if (f == null) {
                throw CelAttributeNotFoundException.forFieldResolution(field);
            }
            Object value = convert(record.get(f.pos()), f.schema());
            if (value == null) {
                throw CelAttributeNotFoundException.of(String.format(
                        "field '%s' is absent (null) in this record: guard it with has()", field));
            }
            return value;
        }

        @Override
        public Optional<Object> find(String field) {
            Schema.Field f = schema.getField(field);
            return f == null ? Optional.empty() : Optional.ofNullable(convert(record.get(f.pos()), f.schema()));
        }

        IndexedRecord record() {
            return record;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RecordView && ((RecordView) o).record.equals(record);
        }

        @Override
        public int hashCode() {
            return record.hashCode();
        }

        @Override
        public String toString() {
            return record.toString();
        }
    }

    /**
     * An Avro array as a read-only list that converts an element when it is first read (the runtime
     * reads a list more than once: it scans it for values to adapt before a comprehension iterates it).
     */
    static final class ListView extends AbstractList<Object> implements RandomAccess {
        private final List<?> list;
        private final Schema elementSchema;
        private Object[] converted;

        ListView(List<?> list, Schema elementSchema) {
            this.list = list instanceof RandomAccess ? list : new ArrayList<>(list);
            this.elementSchema = elementSchema;
        }

        @Override
        public Object get(int index) {
            if (converted == null) {
                converted = new Object[list.size()];
            }
            Object value = converted[index];
            if (value == null) {
                value = convert(list.get(index), elementSchema);
                converted[index] = value;
            }
            return value;
        }

        @Override
        public int size() {
            return list.size();
        }
    }
}
