package io.headerlog.it.l7;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One frame of tshark's {@code -T fields} output: every requested field with all its occurrences
 * in the frame, in the order tshark dissected them.
 */
record TsharkRow(Map<String, List<String>> fields) {

    TsharkRow {
        fields = Map.copyOf(fields);
    }

    /** All occurrences of {@code field} (empty when the frame has none). */
    List<String> all(String field) {
        List<String> values = fields.get(field);
        if (values == null) {
            throw new IllegalArgumentException("field " + field + " was not requested from tshark");
        }
        return values;
    }

    boolean has(String field) {
        return !all(field).isEmpty();
    }

    /** The first occurrence, or null. */
    String first(String field) {
        List<String> values = all(field);
        return values.isEmpty() ? null : values.get(0);
    }

    /** The first occurrence as a number (tshark writes some as 0x hex), or null. */
    Integer firstInt(String field) {
        String v = first(field);
        return v == null ? null : (int) parseNumber(v);
    }

    List<Integer> allInts(String field) {
        List<Integer> out = new ArrayList<>();
        for (String v : all(field)) {
            out.add((int) parseNumber(v));
        }
        return out;
    }

    List<Long> allLongs(String field) {
        List<Long> out = new ArrayList<>();
        for (String v : all(field)) {
            out.add(parseNumber(v));
        }
        return out;
    }

    /** tshark prints booleans as 1/0 (or True/False in some versions). */
    Boolean firstBoolean(String field) {
        String v = first(field);
        if (v == null) {
            return null;
        }
        return v.equals("1") || v.equalsIgnoreCase("true");
    }

    static long parseNumber(String v) {
        String t = v.trim();
        if (t.startsWith("0x") || t.startsWith("0X")) {
            return Long.parseLong(t.substring(2), 16);
        }
        return Long.parseLong(t);
    }

    @Override
    public String toString() {
        return "frame " + first("frame.number");
    }
}
