package io.headerlog.streams.filter;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * CEL types of an Avro record schema, for the type checker: every Avro record becomes a CEL struct
 * type of the same full name (e.g. {@code io.headerlog.schema.Tcp}) with the record's fields, so a
 * misspelt field or a comparison of mismatched types fails when the expression is compiled, not per
 * record.
 *
 * <p>Mapping: int and long → {@code int}; float and double → {@code double}; boolean → {@code bool};
 * string and enum → {@code string}; bytes and fixed → {@code bytes}; array → {@code list(T)}; map →
 * {@code map(string, T)}; record → its struct type; {@code ["null", T]} → {@code T} (an absent value
 * is an absent field, tested with {@code has()}); any other union → {@code dyn}.
 */
final class AvroCelTypes implements CelTypeProvider {
    private final Map<String, StructType> structs = new LinkedHashMap<>();
    private final StructType root;

    AvroCelTypes(Schema recordSchema) {
        if (recordSchema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("a filter runs over a record schema, got " + recordSchema.getType());
        }
        this.root = (StructType) typeOf(recordSchema);
    }

    /** The struct type of the root record. */
    StructType root() {
        return root;
    }

    @Override
    public ImmutableCollection<CelType> types() {
        return ImmutableSet.copyOf(structs.values());
    }

    @Override
    public Optional<CelType> findType(String typeName) {
        return Optional.ofNullable(structs.get(typeName));
    }

    private CelType typeOf(Schema schema) {
        switch (schema.getType()) {
            case INT:
            case LONG:
                return SimpleType.INT;
            case FLOAT:
            case DOUBLE:
                return SimpleType.DOUBLE;
            case BOOLEAN:
                return SimpleType.BOOL;
            case STRING:
            case ENUM:
                return SimpleType.STRING;
            case BYTES:
            case FIXED:
                return SimpleType.BYTES;
            case NULL:
                return SimpleType.NULL_TYPE;
            case ARRAY:
                return ListType.create(typeOf(schema.getElementType()));
            case MAP:
                return MapType.create(SimpleType.STRING, typeOf(schema.getValueType()));
            case UNION:
                Schema nonNull = nonNullBranch(schema);
                return nonNull == null ? SimpleType.DYN : typeOf(nonNull);
            case RECORD:
                return struct(schema);
            default:
                return SimpleType.DYN;
        }
    }

    private StructType struct(Schema record) {
        StructType known = structs.get(record.getFullName());
        if (known != null) {
            return known;
        }
        // Field types are resolved lazily by name, so recursive records need no special care.
        ImmutableMap.Builder<String, Schema> fieldSchemas = ImmutableMap.builder();
        for (Schema.Field field : record.getFields()) {
            fieldSchemas.put(field.name(), field.schema());
        }
        Map<String, CelType> fieldTypes = new LinkedHashMap<>();
        StructType type = StructType.create(record.getFullName(), fieldSchemas.build().keySet(),
                name -> Optional.ofNullable(fieldTypes.get(name)));
        structs.put(record.getFullName(), type);
        for (Schema.Field field : record.getFields()) {
            fieldTypes.put(field.name(), typeOf(field.schema()));
        }
        return type;
    }

    /** T of a union {@code ["null", T]} (either order); null for any other union. */
    static Schema nonNullBranch(Schema union) {
        List<Schema> types = union.getTypes();
        if (types.size() != 2) {
            return null;
        }
        if (types.get(0).getType() == Schema.Type.NULL) {
            return types.get(1);
        }
        if (types.get(1).getType() == Schema.Type.NULL) {
            return types.get(0);
        }
        return null;
    }
}
