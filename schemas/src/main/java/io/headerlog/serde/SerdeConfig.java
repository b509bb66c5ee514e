package io.headerlog.serde;

import io.headerlog.registry.RestSchemaRegistryClient;
import io.headerlog.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/** Kafka config keys the serde understands when Kafka instantiates it by class name. */
public final class SerdeConfig {

    /** Base URL of a Confluent-API schema registry (same key as Confluent's serde). */
    public static final String REGISTRY_URL = "schema.registry.url";
    /** Whether the serializer registers unknown schemas (default true). */
    public static final String AUTO_REGISTER = "auto.register.schemas";
    /** Whether the by-name deserializer reads into generated classes (default false: GenericRecord). */
    public static final String SPECIFIC_READER = "specific.avro.reader";

    private SerdeConfig() {
    }

    static SchemaRegistryClient registryFrom(Map<String, ?> configs, SchemaRegistryClient given) {
        if (given != null) {
            return given;
        }
        Object url = configs.get(REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new ConfigException(REGISTRY_URL, url,
                    "the Avro serde needs a schema registry: set " + REGISTRY_URL + " (e.g. http://127.0.0.1:8081)");
        }
        return new RestSchemaRegistryClient(url.toString());
    }

    static boolean flag(Map<String, ?> configs, String key, boolean defaultValue) {
        Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new ConfigException(key, value, "expected true or false");
    }
}
