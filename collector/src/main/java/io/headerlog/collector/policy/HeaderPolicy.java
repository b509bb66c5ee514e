package io.headerlog.collector.policy;

import io.headerlog.collector.l7.RawHeader;
import io.headerlog.schema.HttpHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Applies a {@link HeaderPolicyConfig} to the raw headers of one HTTP message, in the collector,
 * before anything is published.
 *
 * <p>For each header in order: the allow/deny list decides whether it is published at all; a secret's
 * value becomes a token ({@link SecretAction#HMAC}), the marker {@value #REDACTED}, or the header is
 * dropped; any other value longer than the limit is cut and ends with {@value #CUT_MARKER}; once
 * {@code maxHeaders} are listed, the rest are dropped. Dropped headers are counted.
 *
 * <p>The dedicated fields (Host, User-Agent, Content-Type, Content-Length, X-Request-ID, traceparent)
 * come from the first header of that name the allow/deny list permits, with the value as published
 * (token, marker or cut value) — the count limit does not hide them; a header the list or
 * {@link SecretAction#DROP} removes leaves its field null. Content-Length is only parsed from a
 * non-secret value.
 */
public final class HeaderPolicy {
    public static final String REDACTED = "[redacted]";
    public static final String CUT_MARKER = "...[cut]";

    private final HeaderPolicyConfig config;
    private final SecretTokenizer tokenizer;

    /** The policy with its key: loads (or, for the default location, creates) the key only for HMAC. */
    public static HeaderPolicy create(HeaderPolicyConfig config) {
        SecretTokenizer tokenizer = config.secretAction() == SecretAction.HMAC
                ? SecretTokenizer.forKeyFile(config.hmacKeyFile())
                : null;
        return new HeaderPolicy(config, tokenizer);
    }

    /** @param tokenizer required when the secret action is HMAC, else ignored (may be null) */
    public HeaderPolicy(HeaderPolicyConfig config, SecretTokenizer tokenizer) {
        this.config = Objects.requireNonNull(config, "config");
        if (config.secretAction() == SecretAction.HMAC && tokenizer == null) {
            throw new IllegalArgumentException("the HMAC secret action needs a SecretTokenizer");
        }
        this.tokenizer = tokenizer;
    }

    public HeaderPolicyConfig config() {
        return config;
    }

    /** Never throws on any header list; null names or values are treated as a dropped header / empty value. */
    public PolicyResult apply(List<RawHeader> headers) {
        List<HttpHeader> out = new ArrayList<>(Math.min(headers.size(), config.maxHeaders()));
        Dedicated d = new Dedicated();
        int dropped = 0;
        int cut = 0;
        for (RawHeader h : headers) {
            String name = h == null ? null : h.name();
            if (name == null || name.isEmpty() || name.length() > HeaderNames.MAX_NAME_LENGTH) {
                dropped++;
                continue;
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (!config.permits(lower)) {
                dropped++;
                continue;
            }
            String value = h.value() == null ? "" : h.value();
            boolean secret = config.isSecret(lower);
            String published;
            if (secret) {
                published = secretValue(value);
            } else if (value.length() > config.maxValueLength()) {
                published = cut(value, config.maxValueLength());
                cut++;
            } else {
                published = value;
            }
            d.offer(lower, published, secret ? null : value);
            if (published == null || out.size() >= config.maxHeaders()) {
                dropped++;
                continue;
            }
            out.add(new HttpHeader(name, published));
        }
        return new PolicyResult(out, dropped, cut, d.host, d.userAgent, d.contentType, d.contentLength,
                d.requestId, d.traceparent);
    }

    /** What a secret value is published as; null = the header is dropped. */
    private String secretValue(String value) {
        switch (config.secretAction()) {
            case HMAC: return tokenizer.token(value);
            case REDACT: return REDACTED;
            default: return null;
        }
    }

    /** {@code value} cut so that with the marker it is exactly {@code max} characters, never splitting a surrogate pair. */
    static String cut(String value, int max) {
        int keep = max - CUT_MARKER.length();
        if (Character.isHighSurrogate(value.charAt(keep - 1))) {
            keep--;
        }
        return value.substring(0, keep) + CUT_MARKER;
    }

    /** Content-Length per RFC 9110 8.6: one or more digits, nothing else; null when not that or too large. */
    static Long parseContentLength(String value) {
        if (value == null || value.isEmpty() || value.length() > 18) {
            return null; // 18 digits cannot overflow a long
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /**
     * The first permitted header of each dedicated name decides its field (a later duplicate — e.g. a
     * second Host, a smuggling attempt — never overrides it).
     */
    private static final class Dedicated {
        private int seen; // bit per dedicated name
        String host;
        String userAgent;
        String contentType;
        Long contentLength;
        String requestId;
        String traceparent;

        /** @param clear the value when it is not a secret, else null */
        void offer(String lower, String published, String clear) {
            switch (lower) {
                case HeaderNames.HOST:
                    if (first(1)) {
                        host = published;
                    }
                    break;
                case HeaderNames.USER_AGENT:
                    if (first(2)) {
                        userAgent = published;
                    }
                    break;
                case HeaderNames.CONTENT_TYPE:
                    if (first(4)) {
                        contentType = published;
                    }
                    break;
                case HeaderNames.CONTENT_LENGTH:
                    if (first(8)) {
                        contentLength = parseContentLength(clear);
                    }
                    break;
                case HeaderNames.REQUEST_ID:
                    if (first(16)) {
                        requestId = published;
                    }
                    break;
                case HeaderNames.TRACEPARENT:
                    if (first(32)) {
                        traceparent = published;
                    }
                    break;
                default:
                    break;
            }
        }

        private boolean first(int bit) {
            boolean first = (seen & bit) == 0;
            seen |= bit;
            return first;
        }
    }
}
