package io.headerlog.deploy.ksql;

import static io.headerlog.deploy.ksql.KsqlLexer.closing;
import static io.headerlog.deploy.ksql.KsqlLexer.depthChange;
import static io.headerlog.deploy.ksql.KsqlLexer.expect;
import static io.headerlog.deploy.ksql.KsqlLexer.split;

import io.headerlog.deploy.ksql.KsqlExpressions.Expr;
import io.headerlog.deploy.ksql.KsqlExpressions.Ref;
import io.headerlog.deploy.ksql.KsqlExpressions.Scope;
import io.headerlog.deploy.ksql.KsqlLexer.Kind;
import io.headerlog.deploy.ksql.KsqlLexer.SyntaxError;
import io.headerlog.deploy.ksql.KsqlLexer.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Checks the ksqlDB statements of ksql/ against the project: every topic a source is declared over
 * is a project topic with a registered value schema, and every column and nested field a query
 * names exists in that schema as ksqlDB's schema inference presents it ({@link KsqlExpressions}).
 * It understands the subset these files use — CREATE [SOURCE] STREAM/TABLE over a topic with only
 * a key column declared, CREATE STREAM/TABLE AS SELECT, SELECT from one source with WINDOW, WHERE,
 * GROUP BY, PARTITION BY, HAVING, EMIT and LIMIT, and SET — and reports anything else as
 * unsupported instead of skipping it. Statements are checked in order, so a query may use a source
 * that an earlier statement (or an earlier file) created.
 */
final class KsqlChecker {

    enum Mode {
        /** Only source declarations and SET: what `ksql --file` runs at start (a query would block it). */
        DECLARATIONS,
        /** Also queries and CREATE ... AS SELECT. */
        QUERIES
    }

    /** A declared stream or table; topic is null for one a query derives. */
    record Source(String name, boolean table, String key, Map<String, Schema> columns, String topic) {}

    private static final Set<String> CLAUSES = Set.of("WINDOW", "WHERE", "GROUP", "PARTITION", "HAVING", "EMIT", "LIMIT");
    private static final Set<String> UNSUPPORTED_CLAUSES = Set.of("JOIN", "LEFT", "RIGHT", "FULL", "INNER", "OUTER",
            "ON", "WITHIN");

    private final Map<String, Schema> topicSchemas;
    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final KsqlExpressions expressions = new KsqlExpressions(this::problem);
    private String file = "?";

    /** @param topicSchemas every project topic a source may be declared over → its value schema */
    KsqlChecker(Map<String, Schema> topicSchemas) {
        this.topicSchemas = topicSchemas;
    }

    /** Checks one file's statements; returns the problems found in it ("file:line: message"). */
    List<String> check(String fileName, String sql, Mode mode) {
        file = fileName;
        int before = problems.size();
        try {
            for (List<Token> statement : KsqlLexer.statements(KsqlLexer.tokenize(sql))) {
                try {
                    statement(statement, mode);
                } catch (SyntaxError e) {
                    problems.add(file + ":" + e.line + ": " + e.getMessage());
                } catch (IndexOutOfBoundsException e) {
                    problems.add(file + ":" + statement.get(0).line() + ": the statement ends too early");
                }
            }
        } catch (IllegalArgumentException e) {
            problems.add(fileName + ": " + e.getMessage());
        }
        return new ArrayList<>(problems.subList(before, problems.size()));
    }

    Map<String, Source> sources() {
        return sources;
    }

    private void statement(List<Token> t, Mode mode) {
        Token first = t.get(0);
        if (first.is("SET") || first.is("UNSET")) {
            if (t.size() < 2 || t.get(1).kind() != Kind.STRING) {
                throw new SyntaxError(first, "SET takes 'property' = 'value'");
            }
        } else if (first.is("CREATE")) {
            create(t, mode);
        } else if (first.is("SELECT")) {
            if (mode == Mode.DECLARATIONS) {
                throw new SyntaxError(first, "a query here would keep `ksql --file` from finishing; put it in examples.sql");
            }
            select(t, 0, null, false);
        } else {
            throw new SyntaxError(first, "unsupported statement " + first.text() + " (the checker knows CREATE, SELECT and SET)");
        }
    }

    private void create(List<Token> t, Mode mode) {
        int i = 1;
        if (t.get(i).is("OR")) {
            i = expect(t, i + 1, "REPLACE");
        }
        if (t.get(i).is("SOURCE")) {
            i++;
        }
        if (!t.get(i).is("TABLE") && !t.get(i).is("STREAM")) {
            throw new SyntaxError(t.get(i), "CREATE must be followed by [SOURCE] STREAM or TABLE");
        }
        boolean table = t.get(i++).is("TABLE");
        if (t.get(i).is("IF")) {
            i = expect(t, expect(t, i + 1, "NOT"), "EXISTS");
        } else if (mode == Mode.DECLARATIONS) {
            problem(t.get(i), "CREATE ... IF NOT EXISTS: ksql-init runs this file again on every start");
        }
        Token nameToken = t.get(i++);
        if (!nameToken.isName() || KsqlExpressions.SYNTAX.contains(nameToken.name())) {
            throw new SyntaxError(nameToken, "expected a source name, found " + nameToken.text());
        }
        String name = nameToken.name();
        if (sources.containsKey(name)) {
            throw new SyntaxError(nameToken, name + " is declared twice");
        }
        List<String> keyColumns = new ArrayList<>();
        if (i < t.size() && t.get(i).is("(")) {
            int close = closing(t, i);
            for (List<Token> def : split(t.subList(i + 1, close))) {
                keyColumns.add(keyColumn(def, table));
            }
            i = close + 1;
        }
        Map<String, String> props = new LinkedHashMap<>();
        if (i < t.size() && t.get(i).is("WITH")) {
            int close = closing(t, i + 1);
            for (List<Token> prop : split(t.subList(i + 2, close))) {
                if (prop.size() != 3 || !prop.get(1).is("=")) {
                    throw new SyntaxError(prop.get(0), "WITH takes NAME = value pairs");
                }
                props.put(prop.get(0).name(), prop.get(2).text());
            }
            i = close + 1;
        }
        if (i < t.size() && t.get(i).is("AS")) {
            if (mode == Mode.DECLARATIONS) {
                throw new SyntaxError(t.get(i), "only declarations belong here; persistent queries go in examples.sql");
            }
            if (!keyColumns.isEmpty()) {
                throw new SyntaxError(nameToken, "CREATE ... AS SELECT takes its columns from the query");
            }
            String topic = props.get("KAFKA_TOPIC");
            if (topic != null && topicSchemas.containsKey(topic)) {
                throw new SyntaxError(nameToken, "a query must not write into the app topic " + topic);
            }
            sources.put(name, new Source(name, table, null, select(t, i + 1, name, table), null));
        } else if (i < t.size()) {
            throw new SyntaxError(t.get(i), "unexpected " + t.get(i).text() + " after the WITH clause");
        } else {
            sources.put(name, declared(nameToken, table, keyColumns, props));
        }
    }

    /** {@code name STRING KEY} (streams) or {@code name STRING PRIMARY KEY} (tables): returns the name. */
    private static String keyColumn(List<Token> def, boolean table) {
        Token name = def.get(0);
        boolean primary = def.size() == 4 && def.get(2).is("PRIMARY") && def.get(3).is("KEY");
        boolean plain = def.size() == 3 && def.get(2).is("KEY");
        if (!primary && !plain) {
            throw new SyntaxError(name, "declare only the key column (name STRING " + (table ? "PRIMARY " : "")
                    + "KEY): value columns come from the registry, and declaring one turns schema inference off");
        }
        if (primary != table) {
            throw new SyntaxError(name, table ? "a table's key is a PRIMARY KEY" : "a stream's key is KEY, not PRIMARY KEY");
        }
        if (!def.get(1).is("STRING") && !def.get(1).is("VARCHAR")) {
            throw new SyntaxError(def.get(1), "the record keys are strings (KEY_FORMAT='KAFKA'): declare " + name.text() + " STRING");
        }
        return name.name();
    }

    private Source declared(Token nameToken, boolean table, List<String> keyColumns, Map<String, String> props) {
        String topic = props.get("KAFKA_TOPIC");
        if (topic == null) {
            throw new SyntaxError(nameToken, "WITH (KAFKA_TOPIC = '...') is missing");
        }
        Schema value = topicSchemas.get(topic);
        if (value == null) {
            throw new SyntaxError(nameToken, "topic '" + topic + "' is not a project topic with a value schema "
                    + topicSchemas.keySet());
        }
        if (!"AVRO".equalsIgnoreCase(props.get("VALUE_FORMAT")) || !"KAFKA".equalsIgnoreCase(props.get("KEY_FORMAT"))) {
            problem(nameToken, "the apps write Avro values with plain string keys: VALUE_FORMAT = 'AVRO', KEY_FORMAT = 'KAFKA'");
        }
        if (props.containsKey("PARTITIONS") || props.containsKey("REPLICAS")) {
            problem(nameToken, "the apps create their topics (Topics.defaultPartitions): no PARTITIONS/REPLICAS here");
        }
        if (keyColumns.size() > 1 || (table && keyColumns.isEmpty())) {
            problem(nameToken, table ? "a table needs exactly one PRIMARY KEY column" : "at most one key column");
        }
        Map<String, Schema> columns = new LinkedHashMap<>();
        value.getFields().forEach(f -> columns.put(f.name().toUpperCase(Locale.ROOT), f.schema()));
        String key = keyColumns.isEmpty() ? null : keyColumns.get(0);
        if (key != null) {
            if (columns.containsKey(key)) {
                problem(nameToken, "key column " + key + " clashes with the value field of that name in " + value.getName());
            }
            columns.put(key, Schema.create(Schema.Type.STRING));
        }
        return new Source(nameToken.name(), table, key, columns, topic);
    }

    /**
     * Checks the query starting at t[start] (SELECT). For CREATE ... AS SELECT ({@code target} not
     * null) returns the columns of the new source, else null.
     */
    private Map<String, Schema> select(List<Token> t, int start, String target, boolean targetTable) {
        expect(t, start, "SELECT");
        int from = -1;
        for (int i = start + 1, depth = 0; i < t.size() && from < 0; i++) {
            depth += depthChange(t.get(i));
            from = depth == 0 && t.get(i).is("FROM") ? i : -1;
        }
        if (from < 0 || from + 1 >= t.size()) {
            throw new SyntaxError(t.get(start), "SELECT without FROM <source>");
        }
        Token sourceToken = t.get(from + 1);
        Source source = sources.get(sourceToken.name());
        if (source == null) {
            throw new SyntaxError(sourceToken, "unknown source " + sourceToken.text() + " (declared: " + sources.keySet() + ")");
        }
        Map<String, List<Token>> clauses = clauses(t, from + 2, source);
        Scope scope = new Scope(source.name(), source.columns(), clauses.containsKey("WINDOW"));
        for (String c : List.of("WHERE", "HAVING")) {
            if (clauses.containsKey(c)) {
                expressions.expression(clauses.get(c), scope);
            }
        }
        Set<String> groupBy = new HashSet<>();
        for (String c : List.of("GROUP", "PARTITION")) {
            for (List<Token> e : clauses.containsKey(c) ? split(clauses.get(c)) : List.<List<Token>>of()) {
                Expr info = expressions.expression(e, scope);
                groupBy.add(KsqlExpressions.normalized(e));
                if (info.path() != null) {
                    groupBy.add(info.path());
                }
            }
        }
        boolean grouped = clauses.containsKey("GROUP");
        Map<String, Schema> columns = new LinkedHashMap<>();
        boolean keyProjected = false;
        for (List<Token> item : split(t.subList(start + 1, from))) {
            if (item.size() == 1 && item.get(0).is("*")) {
                if (grouped) {
                    throw new SyntaxError(item.get(0), "SELECT * with GROUP BY");
                }
                columns.putAll(source.columns());
                keyProjected = true;
                continue;
            }
            boolean aliased = item.size() >= 3 && item.get(item.size() - 2).is("AS") && item.get(item.size() - 1).isName();
            List<Token> e = aliased ? item.subList(0, item.size() - 2) : item;
            Expr info = expressions.expression(e, scope);
            if (grouped && !groupBy.contains(KsqlExpressions.normalized(e))) {
                for (Ref ref : info.refs()) {
                    if (!ref.inAggregate() && !groupBy.contains(ref.path()) && !KsqlExpressions.WINDOW_BOUNDS.contains(ref.path())) {
                        problem(e.get(0), ref.path() + " is neither aggregated nor in GROUP BY");
                    }
                }
            }
            keyProjected |= source.key() != null && source.key().equals(info.path());
            String name = aliased ? item.get(item.size() - 1).name()
                    : info.path() != null && !info.path().contains("->") ? info.path() : null;
            if (target != null && name == null) {
                problem(e.get(0), "give this column of " + target + " a name (AS name)");
            } else if (name != null) {
                columns.put(name, info.exploded() != null ? info.exploded() : info.type());
            }
        }
        if (targetTable && !grouped && !source.table()) {
            problem(t.get(start), "CREATE TABLE " + target + " AS SELECT over the stream " + source.name() + " needs GROUP BY");
        }
        if (target != null && source.key() != null && !grouped && !clauses.containsKey("PARTITION") && !keyProjected) {
            problem(t.get(start), target + " must project the key column " + source.key() + " of " + source.name());
        }
        return target != null ? columns : null;
    }

    /** The clauses after FROM source, each keyword → its tokens (GROUP/PARTITION without their BY). */
    private static Map<String, List<Token>> clauses(List<Token> t, int start, Source source) {
        Map<String, List<Token>> clauses = new LinkedHashMap<>();
        String clause = null;
        int depth = 0;
        for (int i = start; i < t.size(); i++) {
            Token tok = t.get(i);
            boolean word = depth == 0 && tok.kind() == Kind.WORD;
            if (word && UNSUPPORTED_CLAUSES.contains(tok.name())) {
                throw new SyntaxError(tok, tok.text() + " is not supported by this checker (one source per query)");
            }
            if (word && CLAUSES.contains(tok.name())) {
                clause = tok.name();
                if (clauses.put(clause, new ArrayList<>()) != null) {
                    throw new SyntaxError(tok, clause + " twice");
                }
                if (clause.equals("GROUP") || clause.equals("PARTITION")) {
                    i = expect(t, i + 1, "BY") - 1;
                }
                continue;
            }
            if (clause == null) {
                throw new SyntaxError(tok, "unexpected " + tok.text() + " after FROM " + source.name()
                        + " (source aliases are not supported)");
            }
            depth += depthChange(tok);
            clauses.get(clause).add(tok);
        }
        return clauses;
    }

    private void problem(Token at, String message) {
        problems.add(file + ":" + at.line() + ": " + message);
    }
}
