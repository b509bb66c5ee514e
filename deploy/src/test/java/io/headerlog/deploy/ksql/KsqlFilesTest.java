package io.headerlog.deploy.ksql;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.deploy.RepoFiles;
import io.headerlog.deploy.TopicSchemas;
import io.headerlog.deploy.ksql.KsqlChecker.Mode;
import io.headerlog.deploy.ksql.KsqlChecker.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * ksql/ against the code: 00-sources.sql (what the ksql-init service runs) declares a source over
 * every topic the apps write and nothing else; every other file's queries name only columns and
 * fields the Avro schemas have. The negative cases show the checker catches each kind of drift.
 */
class KsqlFilesTest {

    private static final String DECLARATIONS = "00-sources.sql";

    /** A checker that has read 00-sources.sql (the sources every other file queries). */
    private static KsqlChecker withSources() {
        KsqlChecker checker = new KsqlChecker(TopicSchemas.valueSchemas());
        assertThat(checker.check(DECLARATIONS, RepoFiles.read("ksql/" + DECLARATIONS), Mode.DECLARATIONS)).isEmpty();
        return checker;
    }

    private static List<String> problemsIn(String sql) {
        return withSources().check("test.sql", sql, Mode.QUERIES);
    }

    @Test
    void sourcesCoverEveryTopicTheAppsWrite() {
        List<String> declared = withSources().sources().values().stream().map(Source::topic)
                .filter(Objects::nonNull).sorted().collect(Collectors.toList());
        assertThat(declared).containsExactlyInAnyOrderElementsOf(TopicSchemas.valueSchemas().keySet());
    }

    @Test
    void everyQueryFileNamesOnlyRealColumns() throws IOException {
        KsqlChecker checker = withSources();
        List<Path> files;
        try (Stream<Path> list = Files.list(RepoFiles.path("ksql"))) {
            files = list.filter(p -> p.toString().endsWith(".sql") && !p.getFileName().toString().equals(DECLARATIONS))
                    .sorted().collect(Collectors.toList());
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            assertThat(checker.check(file.getFileName().toString(), Files.readString(file), Mode.QUERIES))
                    .as(file.toString()).isEmpty();
        }
        assertThat(checker.sources()).containsKey("PACKET_HOPS");
        assertThat(checker.sources().get("PACKET_HOPS").columns()).containsKeys("FLOW_ID", "CLOCKREFERENCE", "HOP");
    }

    @Test
    void aMisspeltFieldInTheRealExamplesFails() {
        String examples = RepoFiles.read("ksql/examples.sql");
        assertThat(examples).contains("header->tls->sni");
        String broken = examples.replace("header->tls->sni", "header->tls->snii");
        assertThat(withSources().check("examples.sql", broken, Mode.QUERIES))
                .anySatisfy(p -> assertThat(p).contains("Tls has no field snii"));
    }

    @Test
    void aMisspeltColumnFails() {
        assertThat(problemsIn("SELECT hots, src FROM flows_raw EMIT CHANGES;"))
                .singleElement().satisfies(p -> assertThat(p).startsWith("test.sql:1:").contains("HOTS is not a column of FLOWS_RAW"));
    }

    @Test
    void nestedFieldsAreResolvedThroughOptionalsArraysAndExplode() {
        assertThat(problemsIn("SELECT header->dns->questions[1]->typeName AS t, header->tcp->`WINDOW` AS w"
                + " FROM headers_enriched WHERE header->ip->ttl < 64 EMIT CHANGES;")).isEmpty();
        assertThat(problemsIn("SELECT header->tcp->window FROM headers_enriched EMIT CHANGES;"))
                .singleElement().satisfies(p -> assertThat(p).contains("reserved word"));
        assertThat(problemsIn("SELECT hops->fromHost FROM packets_correlated EMIT CHANGES;"))
                .singleElement().satisfies(p -> assertThat(p).contains("HOPS is not a struct"));
        assertThat(problemsIn("SELECT `header`->host FROM headers_enriched EMIT CHANGES;"))
                .anySatisfy(p -> assertThat(p).contains("case-sensitive"));
    }

    @Test
    void declarationsMustNameAProjectTopicAvroAndAKeyThatDoesNotClash() {
        KsqlChecker checker = new KsqlChecker(TopicSchemas.valueSchemas());
        assertThat(checker.check("d.sql", "CREATE STREAM IF NOT EXISTS a (k STRING KEY) WITH (KAFKA_TOPIC='headers.rawx',"
                + " KEY_FORMAT='KAFKA', VALUE_FORMAT='AVRO');", Mode.DECLARATIONS))
                .singleElement().satisfies(p -> assertThat(p).contains("'headers.rawx' is not a project topic"));
        assertThat(checker.check("d.sql", "CREATE SOURCE TABLE IF NOT EXISTS b (host STRING PRIMARY KEY) WITH (KAFKA_TOPIC="
                + "'collector.stats', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');", Mode.DECLARATIONS))
                .hasSize(2).anySatisfy(p -> assertThat(p).contains("clashes"))
                .anySatisfy(p -> assertThat(p).contains("VALUE_FORMAT = 'AVRO'"));
        assertThat(checker.check("d.sql", "CREATE STREAM IF NOT EXISTS c (k STRING KEY, x INT) WITH (KAFKA_TOPIC='flows.raw',"
                + " KEY_FORMAT='KAFKA', VALUE_FORMAT='AVRO');", Mode.DECLARATIONS))
                .singleElement().satisfies(p -> assertThat(p).contains("declare only the key column"));
        assertThat(checker.check("d.sql", "CREATE STREAM d (k STRING KEY) WITH (KAFKA_TOPIC='flows.raw',"
                + " KEY_FORMAT='KAFKA', VALUE_FORMAT='AVRO');", Mode.DECLARATIONS))
                .singleElement().satisfies(p -> assertThat(p).contains("IF NOT EXISTS"));
        assertThat(checker.check("d.sql", "SELECT * FROM b;", Mode.DECLARATIONS))
                .singleElement().satisfies(p -> assertThat(p).contains("ksql --file"));
    }

    @Test
    void aggregationsAndDerivedStreamsFollowKsqlDbRules() {
        assertThat(problemsIn("SELECT host, dst, SUM(bytes) AS b FROM flows_raw WINDOW TUMBLING (SIZE 1 MINUTE)"
                + " GROUP BY host EMIT CHANGES;"))
                .singleElement().satisfies(p -> assertThat(p).contains("DST is neither aggregated nor in GROUP BY"));
        assertThat(problemsIn("SELECT host, AVERAGE(bytes) AS b FROM flows_raw GROUP BY host EMIT CHANGES;"))
                .anySatisfy(p -> assertThat(p).contains("unknown function AVERAGE"));
        assertThat(problemsIn("CREATE STREAM hops_without_key AS SELECT EXPLODE(hops) AS hop FROM packets_correlated;"))
                .singleElement().satisfies(p -> assertThat(p).contains("must project the key column FLOW_ID"));
        assertThat(problemsIn("CREATE STREAM x WITH (KAFKA_TOPIC='flows.raw') AS SELECT * FROM flows_raw;"))
                .singleElement().satisfies(p -> assertThat(p).contains("must not write into the app topic"));
        assertThat(problemsIn("SELECT host FROM flows_raw f JOIN flows_summary s ON f.host = s.host EMIT CHANGES;"))
                .singleElement().satisfies(p -> assertThat(p).contains("not supported"));
    }
}
