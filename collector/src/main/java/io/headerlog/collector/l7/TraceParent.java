package io.headerlog.collector.l7;

import io.headerlog.schema.TraceContext;

/**
 * The W3C Trace Context {@code traceparent} header (https://www.w3.org/TR/trace-context/ §3.2):
 * {@code version "-" trace-id "-" parent-id "-" trace-flags}, every part lower-case hex.
 * <ul>
 *   <li>version: 2 hex digits, not {@code ff};</li>
 *   <li>trace-id: 32 hex digits, not all zero; parent-id: 16 hex digits, not all zero;
 *       trace-flags: 2 hex digits;</li>
 *   <li>version 00 has exactly these four parts (55 characters); a higher version may append more
 *       parts, each after a "-" — they are ignored, as the spec asks of a parser that knows only
 *       version 00.</li>
 * </ul>
 * Anything else is invalid and gives null; a vendor that must "restart the trace" on an invalid
 * header would do the same. Never throws.
 */
public final class TraceParent {
    private static final int V00_LENGTH = 55;

    private TraceParent() {}

    /** @param value the header value (surrounding spaces and tabs are ignored); null gives null */
    public static TraceContext parse(String value) {
        if (value == null) {
            return null;
        }
        int from = 0;
        int to = value.length();
        while (from < to && isOws(value.charAt(from))) {
            from++;
        }
        while (to > from && isOws(value.charAt(to - 1))) {
            to--;
        }
        if (to - from < V00_LENGTH) {
            return null;
        }
        int version = hex(value, from, 2);
        if (version < 0 || version == 0xff) {
            return null;
        }
        if (version == 0 ? to - from != V00_LENGTH : to - from > V00_LENGTH && value.charAt(from + V00_LENGTH) != '-') {
            return null;
        }
        if (value.charAt(from + 2) != '-' || value.charAt(from + 35) != '-' || value.charAt(from + 52) != '-') {
            return null;
        }
        if (!hexRun(value, from + 3, 32) || !hexRun(value, from + 36, 16)) {
            return null;
        }
        int flags = hex(value, from + 53, 2);
        if (flags < 0) {
            return null;
        }
        return TraceContext.newBuilder()
                .setVersion(version)
                .setTraceId(value.substring(from + 3, from + 35))
                .setParentId(value.substring(from + 36, from + 52))
                .setFlags(flags)
                .build();
    }

    /** A run of lower-case hex digits that is not all zeros. */
    private static boolean hexRun(String s, int at, int n) {
        boolean nonZero = false;
        for (int i = at; i < at + n; i++) {
            char c = s.charAt(i);
            if (!isLowerHex(c)) {
                return false;
            }
            nonZero |= c != '0';
        }
        return nonZero;
    }

    private static int hex(String s, int at, int n) {
        int v = 0;
        for (int i = at; i < at + n; i++) {
            char c = s.charAt(i);
            if (!isLowerHex(c)) {
                return -1;
            }
            v = (v << 4) | Character.digit(c, 16);
        }
        return v;
    }

    private static boolean isLowerHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }
}
