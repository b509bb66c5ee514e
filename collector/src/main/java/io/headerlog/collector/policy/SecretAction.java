package io.headerlog.collector.policy;

import java.util.Locale;

/** What the collector publishes in place of a secret header's value. */
public enum SecretAction {
    /** A keyed HMAC token ("hmac:..."): equal values give equal tokens, so requests stay joinable. */
    HMAC,
    /** The fixed marker {@value HeaderPolicy#REDACTED}: the header's presence is kept, nothing of its value. */
    REDACT,
    /** The header is left out entirely (counted in headersDropped). */
    DROP;

    /**
     * @param text  hmac, redact or drop (any case)
     * @param where the flag or file field the text came from, for the error message
     */
    public static SecretAction parse(String text, String where) {
        if (text != null) {
            switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "hmac": return HMAC;
                case "redact": return REDACT;
                case "drop": return DROP;
                default: break;
            }
        }
        throw new HeaderPolicyException(where + " takes hmac, redact or drop, got '" + text + "'");
    }

    /** The lower-case name used in flags and the policy file. */
    public String flagValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
