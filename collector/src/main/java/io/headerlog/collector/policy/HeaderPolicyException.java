package io.headerlog.collector.policy;

/**
 * A header policy that cannot be used: a bad file, flag or key. The message says what failed and what
 * to do; it never contains a header value or key material. An IllegalArgumentException, so the
 * collect command reports it like any other bad option.
 */
public final class HeaderPolicyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public HeaderPolicyException(String message) {
        super(message);
    }

    public HeaderPolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
