package io.headerlog.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.registry.InMemorySchemaRegistryClient;
import io.headerlog.topics.Topics;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * TopicSchemas (what headerlog-init registers and what ksql/ is checked against) against the three
 * other places that say which topic carries which record: the constants of Topics, each schema's
 * own doc ("Topic X, key = ..."), and the README's topic table.
 */
class TopicSchemasTest {

    /** The topic names in Topics: its String constants, less the dead-letter suffix (not a topic). */
    static List<String> topicConstants() throws IllegalAccessException {
        List<String> topics = new ArrayList<>();
        for (Field f : Topics.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class && !f.getName().equals("DLQ_SUFFIX")) {
                topics.add((String) f.get(null));
            }
        }
        return topics;
    }

    @Test
    void coversEveryTopicConstant() throws IllegalAccessException {
        assertThat(TopicSchemas.valueSchemas().keySet()).containsExactlyInAnyOrderElementsOf(topicConstants());
    }

    @Test
    void agreesWithEachSchemasOwnDoc() {
        Pattern topicInDoc = Pattern.compile("Topic ([a-z0-9._-]+), key");
        TopicSchemas.valueSchemas().forEach((topic, schema) -> {
            Matcher m = topicInDoc.matcher(schema.getDoc());
            assertThat(m.find()).as(schema.getName() + "'s doc names its topic").isTrue();
            assertThat(m.group(1)).as(schema.getName()).isEqualTo(topic);
        });
    }

    @Test
    void agreesWithTheReadmeTopicTable() {
        // | `topic` | key | `Record` (...) | writer |
        Pattern row = Pattern.compile("^\\| `([a-z0-9._-]+)` \\| [^|]+ \\| `([A-Za-z]+)`", Pattern.MULTILINE);
        Matcher m = row.matcher(RepoFiles.read("README.md"));
        Map<String, String> readme = new LinkedHashMap<>();
        while (m.find()) {
            readme.put(m.group(1), m.group(2));
        }
        assertThat(readme).isNotEmpty();
        readme.forEach((topic, record) -> {
            Schema schema = TopicSchemas.valueSchemas().get(topic);
            assertThat(schema).as("README names topic " + topic).isNotNull();
            assertThat(schema.getName()).as("README's record for " + topic).isEqualTo(record);
        });
    }

    @Test
    void initRegistersEveryValueSubjectIdempotently() {
        InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
        Map<String, Integer> first = InitTopicsAndSchemas.registerSchemas(registry);
        assertThat(registry.subjects()).containsExactlyInAnyOrderElementsOf(
                TopicSchemas.valueSchemas().keySet().stream().map(t -> t + "-value").toList());
        // the apps register the same schemas again and must get the same ids
        assertThat(InitTopicsAndSchemas.registerSchemas(registry)).isEqualTo(first);
    }
}
