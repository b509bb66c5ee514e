package io.headerlog.it.l7;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** The headers whose values headerlog must never publish in clear, and what it publishes instead. */
final class SecretHeaders {
    /** The collector's default secret headers. */
    static final Set<String> DEFAULT = Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");
    /** "hmac:" + base64url (no padding) of 16 bytes of HMAC-SHA256. */
    static final Pattern TOKEN = Pattern.compile("hmac:[A-Za-z0-9_-]{22}");

    private SecretHeaders() {
    }

    /** The defaults and {@code added} (any case), lower case. */
    static Set<String> withAdded(String... added) {
        Set<String> all = new HashSet<>(DEFAULT);
        for (String name : added) {
            all.add(name.toLowerCase(Locale.ROOT));
        }
        return Set.copyOf(all);
    }

    static boolean isToken(String value) {
        return value != null && TOKEN.matcher(value).matches();
    }
}
