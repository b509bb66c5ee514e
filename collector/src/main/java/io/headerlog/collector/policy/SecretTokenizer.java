package io.headerlog.collector.policy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a secret header value into a token that reveals nothing of it but stays joinable: HMAC-SHA256
 * with a key kept on the host, {@code "hmac:" + base64url(first 16 bytes of the MAC)} without padding
 * (27 characters). Equal values under one key give equal tokens; without the key a token cannot be
 * tested against guessed values. Values are hashed as UTF-8.
 */
public final class SecretTokenizer {
    public static final String PREFIX = "hmac:";
    public static final int MIN_KEY_BYTES = 16;
    static final int TOKEN_BYTES = 16;
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private final Mac mac;

    /** @param key at least {@value #MIN_KEY_BYTES} bytes; copied */
    public SecretTokenizer(byte[] key) {
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new HeaderPolicyException("an HMAC key needs at least " + MIN_KEY_BYTES + " bytes, got "
                    + (key == null ? 0 : key.length));
        }
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256")); // SecretKeySpec keeps its own copy
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no HmacSHA256, which every Java SE runtime must provide", e);
        }
    }

    /** The key in {@code file} (raw bytes or hex, see {@link HmacKeyFile}); the file must exist. */
    public static SecretTokenizer fromKeyFile(Path file) {
        return withKey(HmacKeyFile.read(file));
    }

    /**
     * The key the policy names, or else the default key file, created with a new random key on first
     * use so tokens stay stable across restarts of this host.
     */
    public static SecretTokenizer forKeyFile(Optional<Path> file) {
        return file.isPresent()
                ? fromKeyFile(file.get())
                : withKey(HmacKeyFile.readOrCreate(HeaderPolicyConfig.DEFAULT_KEY_FILE));
    }

    /** Same as {@link #forKeyFile(Optional)} with another default location (tests). */
    static SecretTokenizer forKeyFile(Optional<Path> file, Path defaultFile) {
        return file.isPresent() ? fromKeyFile(file.get()) : withKey(HmacKeyFile.readOrCreate(defaultFile));
    }

    private static SecretTokenizer withKey(byte[] key) {
        try {
            return new SecretTokenizer(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** The token of {@code value}; thread-safe. */
    public String token(String value) {
        byte[] digest;
        synchronized (mac) {
            digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        }
        return PREFIX + BASE64URL.encodeToString(Arrays.copyOf(digest, TOKEN_BYTES));
    }

    @Override
    public String toString() {
        return "SecretTokenizer[HmacSHA256]"; // never the key
    }
}
