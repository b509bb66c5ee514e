package io.headerlog.streams.filter;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.Program;
import io.headerlog.schema.PacketHeader;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;

/**
 * A stream filter: a boolean expression in CEL (Common Expression Language, https://cel.dev) over the
 * fields of a record, compiled and type-checked once, then evaluated per record.
 *
 * <p>The record is the variable {@code header}; its fields are the Avro fields by name, nested records
 * are nested ({@code header.tcp.dstPort}), absent optional values are absent fields:
 *
 * <pre>{@code
 * header.ip.src == "198.18.0.1" && header.tcp.dstPort == 80
 * has(header.http) && header.http.method == "GET" && header.http.target.startsWith("/api/")
 * has(header.dns) && header.dns.questions.exists(q, q.name.endsWith(".example.com"))
 * }</pre>
 *
 * <p>Types: Avro int and long are CEL {@code int}, float/double {@code double}, string and enum
 * {@code string}, bytes {@code bytes}, arrays lists, maps maps, records structs whose fields the
 * compiler knows, so {@code header.tcp.dstport} (misspelt) or {@code header.tcp.dstPort == "80"}
 * (int vs string) is rejected at start-up. A field whose value is null ({@code ["null", T]}) is
 * absent: test it with {@code has(header.http)} / {@code has(header.http.method)}; reading it
 * regardless ({@code header.http.method} on a TCP ACK) is an evaluation error for that record, unless
 * the other side of {@code &&} / {@code ||} decides (CEL's logical operators absorb errors, so
 * {@code has(header.tcp) && header.tcp.dstPort == 80} is false, not an error, for UDP). The string
 * extension functions ({@code lowerAscii()}, {@code split()}, {@code replace()}, …) and the math
 * extension ({@code math.bitAnd(header.tcp.flags, 2) != 0} — CEL has no bit operators —,
 * {@code math.greatest}, …) are available, as are the standard ones ({@code contains},
 * {@code startsWith}, {@code endsWith}, {@code matches} (RE2), {@code size}, {@code in},
 * {@code exists}, {@code all}, {@code map}, {@code filter}, …).
 *
 * <p>An empty or absent expression keeps every record. Instances are immutable and thread-safe: one
 * compiled filter can be shared by all stream threads. {@link #evaluate} never throws for a record:
 * evaluation errors are {@link FilterResult.Outcome#ERROR} results with the reason.
 */
public final class RecordFilter {
    /** The name of the record in expressions. */
    public static final String VARIABLE = "header";

    /** Upper bound on iterations of one comprehension ({@code exists}, {@code all}, …), per record. */
    static final int MAX_COMPREHENSION_ITERATIONS = 10_000;

    private static final Pattern RUNTIME_ERROR = Pattern.compile("evaluation error at ([^:]*):(\\d+): (.*)", Pattern.DOTALL);

    private static final RecordFilter KEEP_ALL = new RecordFilter("", null);

    private final String expression;
    private final Program program;

    private RecordFilter(String expression, Program program) {
        this.expression = expression;
        this.program = program;
    }

    /**
     * Compiles a filter over {@link PacketHeader} records (topic {@code headers.raw}).
     *
     * @param expression CEL expression of type bool; null or blank keeps every record
     * @throws IllegalArgumentException when the expression does not parse, does not type-check or is
     *                                  not of type bool; the message gives the position as
     *                                  {@code filter:LINE:COLUMN} and the line with a caret under it
     */
    public static RecordFilter compile(String expression) {
        return compile(expression, PacketHeader.getClassSchema());
    }

    /**
     * Compiles a filter over records of any Avro record schema (the variable is still {@code header}).
     *
     * @see #compile(String)
     */
    public static RecordFilter compile(String expression, Schema recordSchema) {
        Objects.requireNonNull(recordSchema, "recordSchema");
        if (expression == null || expression.isBlank()) {
            return KEEP_ALL;
        }
        AvroCelTypes types = new AvroCelTypes(recordSchema);
        CelOptions options = CelOptions.current()
                .comprehensionMaxIterations(MAX_COMPREHENSION_ITERATIONS)
                .enableHeterogeneousNumericComparisons(true) // 1 == 1.0; the planner runtime requires it
                .build();
        Cel cel = CelFactory.plannerCelBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setTypeProvider(types)
                .addVar(VARIABLE, types.root())
                .setResultType(SimpleType.BOOL)
                .addCompilerLibraries(CelExtensions.strings(), CelExtensions.math())
                .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.math())
                .build();
        CelValidationResult compiled = cel.compile(expression, "filter");
        try {
            CelAbstractSyntaxTree ast = compiled.getAst();
            return new RecordFilter(expression, cel.createProgram(ast));
        } catch (CelValidationException e) {
            throw new IllegalArgumentException("invalid filter expression: " + e.getMessage(), e);
        } catch (CelEvaluationException e) {
            // createProgram fails only for what the checker let through but the runtime cannot link.
            throw new IllegalArgumentException("invalid filter expression: " + e.getMessage(), e);
        }
    }

    /** The filter that keeps every record (an empty expression). */
    public static RecordFilter keepAll() {
        return KEEP_ALL;
    }

    /** True for the filter of an empty expression: the caller may skip it. */
    public boolean keepsAll() {
        return program == null;
    }

    /** The expression as given; empty for {@link #keepAll()}. */
    public String expression() {
        return expression;
    }

    /**
     * Evaluates the filter on one record. Never throws for a record (not even a null one): whatever
     * goes wrong is an {@link FilterResult.Outcome#ERROR} result with the reason.
     */
    public FilterResult evaluate(IndexedRecord record) {
        if (program == null) {
            return FilterResult.KEEP;
        }
        if (record == null) {
            return FilterResult.error("no record (null value)");
        }
        try {
            Optional<Object> header = Optional.of(new AvroCelValues.RecordView(record));
            // A resolver, not a Map: the runtime copies a map of variables on every evaluation.
            Object result = program.eval(name -> VARIABLE.equals(name) ? header : Optional.empty());
            if (result instanceof Boolean) {
                return FilterResult.of((Boolean) result);
            }
            return FilterResult.error("expression gave " + describe(result) + ", not a bool");
        } catch (CelEvaluationException e) {
            return FilterResult.error(reason(e.getMessage()));
        } catch (RuntimeException e) {
            return FilterResult.error(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** {@code evaluate(record).keep()}: errors drop the record. */
    public boolean test(IndexedRecord record) {
        return evaluate(record).keep();
    }

    /** The runtime's message with its position as line:column (it gives a character offset). */
    String reason(String message) {
        if (message == null) {
            return "evaluation error";
        }
        Matcher m = RUNTIME_ERROR.matcher(message);
        if (!m.matches()) {
            return message;
        }
        return "evaluation error at " + m.group(1) + ":" + lineColumn(Integer.parseInt(m.group(2))) + ": " + m.group(3);
    }

    /** 1-based line:column of a 0-based code point offset into the expression. */
    private String lineColumn(int offset) {
        int line = 1;
        int column = 1;
        int i = 0;
        for (int cp = 0; i < expression.length() && cp < offset; cp++) {
            int c = expression.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return line + ":" + column;
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName() + " " + value;
    }

    @Override
    public String toString() {
        return program == null ? "RecordFilter[keep all]" : "RecordFilter[" + expression + "]";
    }
}
