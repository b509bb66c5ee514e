package io.headerlog.it.l7;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Collects every difference between the oracle (tshark) and headerlog instead of stopping at the
 * first, so one run shows all of them; counts the comparisons so a test can prove it compared
 * something.
 */
final class Mismatches {
    private final String subject;
    private final List<String> problems = new ArrayList<>();
    private int checks;

    Mismatches(String subject) {
        this.subject = subject;
    }

    void check(String where, String field, Object tshark, Object headerlog) {
        checks++;
        if (!Objects.equals(tshark, headerlog)) {
            problems.add(where + ": " + field + ": tshark " + tshark + ", headerlog " + headerlog);
        }
    }

    /** A check whose values must not be printed (secrets): only the verdict is kept. */
    void require(String where, String what, boolean ok) {
        checks++;
        if (!ok) {
            problems.add(where + ": " + what);
        }
    }

    void problem(String where, String text) {
        checks++;
        problems.add(where + ": " + text);
    }

    /** Field by field over the record components, recursing into lists of records; {@code skip} names components to leave out. */
    void compareRecords(String where, Record tshark, Record headerlog, Set<String> skip) {
        for (RecordComponent c : tshark.getClass().getRecordComponents()) {
            if (skip.contains(c.getName())) {
                continue;
            }
            Object expected = value(c, tshark);
            Object actual = value(c, headerlog);
            if (expected instanceof List<?> e && actual instanceof List<?> a && e.size() == a.size()
                    && !e.isEmpty() && e.get(0) instanceof Record) {
                for (int i = 0; i < e.size(); i++) {
                    compareRecords(where + " " + c.getName() + "[" + i + "]", (Record) e.get(i), (Record) a.get(i), skip);
                }
            } else {
                check(where, c.getName(), expected, actual);
            }
        }
    }

    private static Object value(RecordComponent c, Record r) {
        try {
            c.getAccessor().setAccessible(true);
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
        }
    }

    int checks() {
        return checks;
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    void assertNone() {
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " differences between tshark and headerlog in " + checks
                    + " comparisons of " + subject + ":\n  " + String.join("\n  ", problems));
        }
    }
}
