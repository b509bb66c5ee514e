package io.headerlog.deploy.ksql;

import io.headerlog.deploy.ksql.KsqlLexer.Kind;
import io.headerlog.deploy.ksql.KsqlLexer.SyntaxError;
import io.headerlog.deploy.ksql.KsqlLexer.Token;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import org.apache.avro.Schema;

/**
 * Resolves the column references of one expression against a source's columns: every name that is
 * not syntax, a literal or a function must be a column (or a pseudo column), and every {@code ->}
 * must reach a field of a struct, as ksqlDB's schema inference presents the Avro schema (field
 * names upper-cased, optional fields as nullable columns). Function names are checked against the
 * built-ins these files may use. Reports through {@code problems}; returns what it found.
 */
final class KsqlExpressions {

    /** ksqlDB keywords that cannot be bare identifiers (SqlBase.g4: the keywords not in nonReserved). */
    static final Set<String> RESERVED = words("SELECT FROM AS ALL DISTINCT WHERE WITHIN WINDOW GROUP BY"
            + " HAVING LIMIT AT OR AND IN NOT EXISTS BETWEEN LIKE IS NULL TRUE FALSE MILLISECOND YEARS MONTHS DAYS"
            + " HOURS MINUTES SECONDS MILLISECONDS TUMBLING HOPPING SIZE ADVANCE RETENTION CASE WHEN THEN ELSE END"
            + " JOIN FULL OUTER INNER LEFT RIGHT ON WITH VALUES CREATE TABLE TOPIC STREAM STREAMS INSERT DELETE"
            + " INTO DESCRIBE EXTENDED PRINT CAST LIST TOPICS QUERY QUERIES TERMINATE LOAD DROP TO RENAME EXPORT"
            + " CATALOG PROPERTIES BEGINNING UNSET RUN SCRIPT DECIMAL CONNECTOR CONNECTORS NAMESPACE MATERIALIZED"
            + " VIEW SAMPLE");
    /** Words that are syntax wherever these files use them, never a column. */
    static final Set<String> SYNTAX = union(RESERVED, words("EMIT CHANGES FINAL"));
    static final Set<String> AGGREGATES = words("COUNT SUM AVG MIN MAX LATEST_BY_OFFSET EARLIEST_BY_OFFSET"
            + " COUNT_DISTINCT COLLECT_LIST COLLECT_SET TOPK TOPKDISTINCT HISTOGRAM");
    /** ksqlDB 0.29 built-ins these files may call; add one after checking it exists there. */
    static final Set<String> FUNCTIONS = union(AGGREGATES, words("EXPLODE CAST COALESCE IFNULL ROUND ABS FLOOR"
            + " CEIL GREATEST LEAST TIMESTAMPTOSTRING FORMAT_TIMESTAMP FROM_UNIXTIME CONCAT UCASE LCASE LEN"
            + " SUBSTRING SPLIT ARRAY_LENGTH ARRAY_CONTAINS"));
    static final Set<String> PSEUDO_COLUMNS = words("ROWTIME ROWPARTITION ROWOFFSET");
    static final Set<String> WINDOW_BOUNDS = words("WINDOWSTART WINDOWEND");

    /** The columns in reach: name → schema (null: computed, no fields); window bounds if windowed. */
    record Scope(String source, Map<String, Schema> columns, boolean windowed) {}

    /** A column reference: the path as ksqlDB names it (A->B), whether it sits inside an aggregate. */
    record Ref(String path, boolean inAggregate, int from, int to) {}

    /** What an expression references; path/type when it is one column path, exploded for EXPLODE(path). */
    record Expr(List<Ref> refs, String path, Schema type, Schema exploded) {}

    private final BiConsumer<Token, String> problems;

    KsqlExpressions(BiConsumer<Token, String> problems) {
        this.problems = problems;
    }

    Expr expression(List<Token> t, Scope scope) {
        List<Ref> refs = new ArrayList<>();
        List<Schema> types = new ArrayList<>();
        Deque<String> frames = new ArrayDeque<>(); // per open paren: "agg", "cast", "cast-type", "type(" or "("
        int aggregates = 0;
        for (int i = 0; i < t.size(); i++) {
            Token tok = t.get(i);
            String frame = frames.peek();
            if ("cast-type".equals(frame) || "type(".equals(frame)) { // CAST(x AS <type>): no columns in a type
                if (tok.is("(")) {
                    frames.push("type(");
                } else if (tok.is(")")) {
                    frames.pop();
                }
                continue;
            }
            if (tok.is("(")) {
                frames.push("(");
            } else if (tok.is(")")) {
                if (frames.isEmpty()) {
                    throw new SyntaxError(tok, "unbalanced )");
                }
                if (frames.pop().equals("agg")) {
                    aggregates--;
                }
            } else if (tok.is("AS") && "cast".equals(frame)) {
                frames.pop();
                frames.push("cast-type");
            } else if (tok.kind() == Kind.WORD && SYNTAX.contains(tok.name()) && !tok.is("CAST")) {
                continue; // also IN (...) and NOT (...): their paren is an ordinary one
            } else if (tok.kind() == Kind.WORD && i + 1 < t.size() && t.get(i + 1).is("(")) {
                String fn = tok.name();
                if (!FUNCTIONS.contains(fn)) {
                    problems.accept(tok, "unknown function " + tok.text() + " (known: KsqlExpressions.FUNCTIONS)");
                }
                boolean aggregate = AGGREGATES.contains(fn);
                aggregates += aggregate ? 1 : 0;
                frames.push(aggregate ? "agg" : fn.equals("CAST") ? "cast" : "(");
                i++;
            } else if (tok.isName()) {
                int end = path(t, i, scope, types);
                refs.add(new Ref(normalizedPath(t.subList(i, end)), aggregates > 0, i, end));
                i = end - 1;
            }
        }
        if (!frames.isEmpty()) {
            throw new SyntaxError(t.get(t.size() - 1), "unbalanced (");
        }
        Ref only = refs.size() == 1 ? refs.get(0) : null;
        if (only != null && only.from == 0 && only.to == t.size()) {
            return new Expr(refs, only.path, types.get(0), null);
        }
        if (only != null && t.get(0).is("EXPLODE") && only.from == 2 && only.to == t.size() - 1) {
            Schema array = nonNull(types.get(0));
            if (array == null || array.getType() != Schema.Type.ARRAY) {
                problems.accept(t.get(2), "EXPLODE needs an array; " + only.path + " is not one");
                return new Expr(refs, null, null, null);
            }
            return new Expr(refs, null, null, array.getElementType());
        }
        return new Expr(refs, null, null, null);
    }

    /** Resolves the column path starting at t[i]; adds its schema (null if unknown) to types; returns the index after it. */
    private int path(List<Token> t, int i, Scope scope, List<Schema> types) {
        Token first = t.get(i);
        checkQuoted(first);
        String name = first.name();
        Schema type = null;
        boolean known = true;
        if (scope.columns().containsKey(name)) {
            type = scope.columns().get(name);
        } else if (PSEUDO_COLUMNS.contains(name) || (scope.windowed() && WINDOW_BOUNDS.contains(name))) {
            type = Schema.create(Schema.Type.LONG);
        } else {
            problems.accept(first, name + " is not a column of " + scope.source() + " " + scope.columns().keySet());
            known = false;
        }
        int j = i + 1;
        while (j < t.size()) {
            if (t.get(j).is("->")) {
                if (j + 1 >= t.size() || !t.get(j + 1).isName()) {
                    throw new SyntaxError(t.get(j), "-> needs a field name");
                }
                Token field = t.get(j + 1);
                checkQuoted(field);
                if (field.kind() == Kind.WORD && RESERVED.contains(field.name())) {
                    problems.accept(field, field.text() + " is a reserved word in ksqlDB: write `" + field.name() + "`");
                }
                if (known) {
                    type = field(type, field, normalizedPath(t.subList(i, j)));
                    known = type != null;
                }
                j += 2;
            } else if (t.get(j).is("[")) {
                int close = KsqlLexer.closing(t, j);
                expression(t.subList(j + 1, close), scope);
                Schema array = nonNull(type);
                if (known && (array == null || array.getType() != Schema.Type.ARRAY)) {
                    problems.accept(t.get(j), normalizedPath(t.subList(i, j)) + " is not an array");
                }
                known = known && array != null && array.getType() == Schema.Type.ARRAY;
                type = known ? array.getElementType() : null;
                j = close + 1;
            } else {
                break;
            }
        }
        types.add(known ? type : null);
        return j;
    }

    /** The schema of {@code field} in the struct {@code type}, or null (reported) when there is none. */
    private Schema field(Schema type, Token field, String path) {
        Schema record = nonNull(type);
        if (record == null || record.getType() != Schema.Type.RECORD) {
            problems.accept(field, path + " is not a struct, it has no field " + field.text());
            return null;
        }
        for (Schema.Field f : record.getFields()) {
            if (f.name().toUpperCase(Locale.ROOT).equals(field.name())) {
                return f.schema();
            }
        }
        problems.accept(field, record.getName() + " has no field " + field.text() + " "
                + record.getFields().stream().map(Schema.Field::name).collect(Collectors.toList()));
        return null;
    }

    /** Schema inference upper-cases field names, and a backticked name is taken as written. */
    private void checkQuoted(Token token) {
        if (token.kind() == Kind.QUOTED && !token.text().equals(token.text().toUpperCase(Locale.ROOT))) {
            problems.accept(token, "`" + token.text() + "` is case-sensitive and matches nothing: inferred names are upper case");
        }
    }

    /** The non-null branch of an optional (["null", T]) schema; null when unknown. */
    static Schema nonNull(Schema s) {
        if (s != null && s.getType() == Schema.Type.UNION) {
            return s.getTypes().stream().filter(x -> x.getType() != Schema.Type.NULL).findFirst().orElse(null);
        }
        return s;
    }

    static String normalizedPath(List<Token> t) {
        return t.stream().map(x -> x.is("[") || x.is("]") || x.is("->") ? x.text() : x.isName() ? x.name() : "")
                .collect(Collectors.joining());
    }

    /** An expression's text as ksqlDB compares it (names resolved, spacing ignored). */
    static String normalized(List<Token> t) {
        return t.stream().map(x -> x.kind() == Kind.STRING ? "'" + x.text() + "'" : x.isName() ? x.name() : x.text())
                .collect(Collectors.joining(" "));
    }

    private static Set<String> words(String s) {
        return Set.copyOf(Arrays.asList(s.trim().split("\\s+")));
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> u = new HashSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }
}
