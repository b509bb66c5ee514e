package io.headerlog.collector.policy;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which HTTP headers leave the host, and how. Decisions happen in the collector, before a record is
 * published.
 *
 * @param mode           {@link Mode#DENY_LIST}: every header except {@code names};
 *                       {@link Mode#ALLOW_LIST}: only {@code names}
 * @param names          the list, lower case (names compare case-insensitively)
 * @param secretNames    headers whose values are never published in clear: always the
 *                       {@link #DEFAULT_SECRETS}, plus any the user adds (they cannot be removed)
 * @param secretAction   what replaces a secret value
 * @param maxHeaders     headers published per message, 0..{@value #MAX_HEADERS_LIMIT}; later ones are
 *                       dropped and counted
 * @param maxValueLength characters of a published value, {@value #MIN_VALUE_LENGTH}..{@value
 *                       #MAX_VALUE_LENGTH_LIMIT}: a longer value is cut so that, with the marker
 *                       {@value HeaderPolicy#CUT_MARKER} appended, it is exactly this long. At least 32
 *                       so an HMAC token always fits; secrets are never cut (the token is short)
 * @param hmacKeyFile    the HMAC key (only read when the action is HMAC); empty = {@link #DEFAULT_KEY_FILE},
 *                       created with 32 random bytes on first use
 */
public record HeaderPolicyConfig(Mode mode, Set<String> names, Set<String> secretNames, SecretAction secretAction,
                                 int maxHeaders, int maxValueLength, Optional<Path> hmacKeyFile) {

    /** Whether {@code names} lists the headers to publish or the headers to leave out. */
    public enum Mode { ALLOW_LIST, DENY_LIST }

    public static final Set<String> DEFAULT_SECRETS =
            Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");
    public static final int DEFAULT_MAX_HEADERS = 64;
    public static final int DEFAULT_MAX_VALUE_LENGTH = 1024;
    public static final int MAX_HEADERS_LIMIT = 1024;
    public static final int MIN_VALUE_LENGTH = 32;
    public static final int MAX_VALUE_LENGTH_LIMIT = 65536;
    /** Per host: tokens are stable across restarts; hosts whose tokens must join share this file. */
    public static final Path DEFAULT_KEY_FILE = Path.of("/var/lib/headerlog/hmac.key");

    public HeaderPolicyConfig {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(secretAction, "secretAction");
        Objects.requireNonNull(hmacKeyFile, "hmacKeyFile");
        names = frozen(HeaderNames.normalize(Objects.requireNonNull(names, "names"), "header list"));
        Set<String> secrets = new LinkedHashSet<>(DEFAULT_SECRETS);
        secrets.addAll(HeaderNames.normalize(Objects.requireNonNull(secretNames, "secretNames"), "secret headers"));
        secretNames = frozen(secrets);
        checkMaxHeaders(maxHeaders, "--max-headers");
        checkMaxValueLength(maxValueLength, "--max-header-value");
    }

    /** Every header published, the default secrets tokenized with the default key, 64 headers of 1024 characters. */
    public static HeaderPolicyConfig defaults() {
        return new HeaderPolicyConfig(Mode.DENY_LIST, Set.of(), Set.of(), SecretAction.HMAC, DEFAULT_MAX_HEADERS,
                DEFAULT_MAX_VALUE_LENGTH, Optional.empty());
    }

    /** The policy in a JSON file (see {@link HeaderPolicyFile} for its fields), on top of the defaults. */
    public static HeaderPolicyConfig load(Path file) {
        return defaults().with(HeaderPolicyFile.read(file), "the policy file " + file);
    }

    /**
     * The collector's policy: defaults, then the file (if given), then the command-line flags. Lists
     * given as flags extend the file's lists; single values replace the file's.
     */
    public static HeaderPolicyConfig resolve(Path fileOrNull, HeaderPolicyOverrides flags) {
        HeaderPolicyConfig base = fileOrNull == null ? defaults() : load(fileOrNull);
        return base.with(flags.validatedAsFlags(), fileOrNull == null ? "the defaults" : "the policy file " + fileOrNull);
    }

    /** Whether a header (any case) is published at all by the allow/deny list. */
    public boolean permits(String lowerCaseName) {
        return (mode == Mode.ALLOW_LIST) == names.contains(lowerCaseName);
    }

    /** Whether a header's value is a secret. */
    public boolean isSecret(String lowerCaseName) {
        return secretNames.contains(lowerCaseName);
    }

    HeaderPolicyConfig with(HeaderPolicyOverrides o, String baseName) {
        Mode newMode = mode;
        Set<String> newNames = new LinkedHashSet<>(names);
        if (!o.allow().isEmpty()) {
            if (mode == Mode.DENY_LIST && !names.isEmpty()) {
                throw new HeaderPolicyException("--header-allow cannot extend the deny list of " + baseName
                        + " " + names + ": use one kind of list (allow or deny)");
            }
            newMode = Mode.ALLOW_LIST;
            newNames.addAll(o.allow());
        }
        if (!o.deny().isEmpty()) {
            if (newMode == Mode.ALLOW_LIST) {
                throw new HeaderPolicyException("--header-deny cannot be combined with an allow list ("
                        + (o.allow().isEmpty() ? "in " + baseName : "--header-allow")
                        + "): use one kind of list (allow or deny)");
            }
            newNames.addAll(o.deny());
        }
        Set<String> newSecrets = new LinkedHashSet<>(secretNames);
        newSecrets.addAll(o.secretHeaders());
        return new HeaderPolicyConfig(newMode, newNames, newSecrets,
                o.secretAction() != null ? o.secretAction() : secretAction,
                o.maxHeaders() != null ? o.maxHeaders() : maxHeaders,
                o.maxHeaderValue() != null ? o.maxHeaderValue() : maxValueLength,
                o.hmacKeyFile() != null ? Optional.of(o.hmacKeyFile()) : hmacKeyFile);
    }

    static void checkMaxHeaders(int value, String where) {
        if (value < 0 || value > MAX_HEADERS_LIMIT) {
            throw new HeaderPolicyException(where + " must be 0.." + MAX_HEADERS_LIMIT + " headers, got " + value);
        }
    }

    static void checkMaxValueLength(int value, String where) {
        if (value < MIN_VALUE_LENGTH || value > MAX_VALUE_LENGTH_LIMIT) {
            throw new HeaderPolicyException(where + " must be " + MIN_VALUE_LENGTH + ".." + MAX_VALUE_LENGTH_LIMIT
                    + " characters (an HMAC token needs " + MIN_VALUE_LENGTH + "), got " + value);
        }
    }

    private static Set<String> frozen(Set<String> s) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(s));
    }
}
