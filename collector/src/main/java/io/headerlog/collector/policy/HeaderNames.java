package io.headerlog.collector.policy;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** Header names as the policy compares them: validated field names, folded to lower case. */
final class HeaderNames {
    static final String HOST = "host";
    static final String USER_AGENT = "user-agent";
    static final String CONTENT_TYPE = "content-type";
    static final String CONTENT_LENGTH = "content-length";
    static final String REQUEST_ID = "x-request-id";
    static final String TRACEPARENT = "traceparent";

    /** Longer names are not field names anyone configures; headers with them are dropped, not cut. */
    static final int MAX_NAME_LENGTH = 256;

    private HeaderNames() {}

    /** Lower-case copies of {@code names}, each checked to be an HTTP field name (RFC 9110 5.1). */
    static Set<String> normalize(Collection<String> names, String where) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : names) {
            out.add(normalize(name, where));
        }
        return out;
    }

    static String normalize(String name, String where) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH || !isToken(name)) {
            throw new HeaderPolicyException(where + ": '" + printable(name) + "' is not a header name (1 to "
                    + MAX_NAME_LENGTH + " letters, digits or !#$%&'*+-.^_`|~, e.g. x-api-key)");
        }
        return name.toLowerCase(Locale.ROOT);
    }

    static boolean isToken(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isTokenChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTokenChar(char c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            return true;
        }
        return "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** A configured name shown in an error: control characters escaped, length bounded. */
    private static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return s.length() > 64 ? sb + "..." : sb.toString();
    }
}
