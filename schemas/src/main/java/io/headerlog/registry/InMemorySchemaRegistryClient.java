package io.headerlog.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * A registry in memory with the Confluent registry's semantics: ids are global and the same schema
 * gets the same id under every subject; registering is idempotent; a schema that breaks the
 * subject's compatibility level is rejected with error code 409 like the real registry does.
 * Meant for unit tests: create one per test so that tests do not share state.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {

    private final Map<String, Integer> idsBySchemaText = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<SchemaVersion>> versionsBySubject = new TreeMap<>();
    private final Map<String, CompatibilityLevel> levelBySubject = new HashMap<>();
    private CompatibilityLevel defaultLevel = CompatibilityLevel.BACKWARD;
    private int nextId = 1;

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<SchemaVersion> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        String text = schema.toString();
        for (SchemaVersion version : versions) {
            if (version.schema().toString().equals(text)) {
                return version.id();
            }
        }
        if (!compatible(subject, versions, schema)) {
            if (versions.isEmpty()) {
                versionsBySubject.remove(subject);
            }
            throw new SchemaRegistryException("Schema being registered is incompatible with an earlier schema for subject \""
                    + subject + "\" (level " + levelOf(subject) + "): "
                    + AvroCompatibility.incompatibilities(schema, versions.get(versions.size() - 1).schema()),
                    409, 409);
        }
        int id = idsBySchemaText.computeIfAbsent(text, t -> nextId++);
        schemasById.putIfAbsent(id, schema);
        versions.add(new SchemaVersion(subject, versions.size() + 1, id, schema));
        return id;
    }

    @Override
    public synchronized Schema getById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("Schema " + id + " not found", 404, 40403);
        }
        return schema;
    }

    @Override
    public synchronized OptionalInt lookup(String subject, Schema schema) {
        String text = schema.toString();
        for (SchemaVersion version : versionsBySubject.getOrDefault(subject, List.of())) {
            if (version.schema().toString().equals(text)) {
                return OptionalInt.of(version.id());
            }
        }
        return OptionalInt.empty();
    }

    @Override
    public synchronized List<String> subjects() {
        return List.copyOf(versionsBySubject.keySet());
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        return compatible(subject, versionsBySubject.getOrDefault(subject, List.of()), schema);
    }

    @Override
    public synchronized Optional<SchemaVersion> latestVersion(String subject) {
        List<SchemaVersion> versions = versionsBySubject.getOrDefault(subject, List.of());
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
    }

    @Override
    public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
        levelBySubject.put(subject, level);
    }

    @Override
    public synchronized void setDefaultCompatibility(CompatibilityLevel level) {
        defaultLevel = level;
    }

    private CompatibilityLevel levelOf(String subject) {
        return levelBySubject.getOrDefault(subject, defaultLevel);
    }

    private boolean compatible(String subject, List<SchemaVersion> versions, Schema schema) {
        List<Schema> previous = versions.stream().map(SchemaVersion::schema).toList();
        return AvroCompatibility.isCompatible(schema, previous, levelOf(subject));
    }
}
