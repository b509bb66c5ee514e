package io.headerlog.collector.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HMAC key on disk. A key file holds either hex digits (at least 32, an even count; surrounding
 * whitespace and a trailing newline are ignored — e.g. {@code openssl rand -hex 32 > hmac.key}) or,
 * when it is anything else, raw bytes (at least 16, taken as they are — e.g.
 * {@code head -c 32 /dev/urandom > hmac.key}). The default key file is created on first use with 32
 * random bytes and mode 0600.
 */
final class HmacKeyFile {
    private static final Logger LOG = LoggerFactory.getLogger(HmacKeyFile.class);
    static final int NEW_KEY_BYTES = 32;
    static final int MAX_FILE_BYTES = 4096;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private HmacKeyFile() {}

    /** The key in a file the user named; it must exist. */
    static byte[] read(Path file) {
        byte[] content;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new HeaderPolicyException("HMAC key file " + file + " is larger than " + MAX_FILE_BYTES
                        + " bytes; is it the right file? (a key is 16 to 64 random bytes, raw or as hex)");
            }
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new HeaderPolicyException("HMAC key file " + file + " does not exist; create one with "
                    + "'head -c 32 /dev/urandom > " + file + " && chmod 600 " + file
                    + "' (share it between hosts whose tokens must match), or leave out --hmac-key-file");
        } catch (AccessDeniedException e) {
            throw new HeaderPolicyException("HMAC key file " + file + " is not readable by this user; run as root "
                    + "or fix its permissions", e);
        } catch (IOException e) {
            throw new HeaderPolicyException("cannot read HMAC key file " + file + ": " + e, e);
        }
        try {
            byte[] key = decode(content, file);
            warnIfOthersCanRead(file);
            return key;
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /** The key in {@code file}, which is created with a new random key if it does not exist yet. */
    static byte[] readOrCreate(Path file) {
        if (!Files.exists(file)) {
            create(file);
        }
        return read(file);
    }

    static byte[] decode(byte[] content, Path file) {
        String text = new String(content, StandardCharsets.ISO_8859_1).strip();
        if (text.length() >= 2 * SecretTokenizer.MIN_KEY_BYTES && text.length() % 2 == 0 && isHex(text)) {
            return HexFormat.of().parseHex(text);
        }
        if (content.length < SecretTokenizer.MIN_KEY_BYTES) {
            throw new HeaderPolicyException("HMAC key file " + file + " holds " + content.length + " bytes; a key needs"
                    + " at least " + SecretTokenizer.MIN_KEY_BYTES + " raw bytes or " + 2 * SecretTokenizer.MIN_KEY_BYTES
                    + " hex digits (e.g. 'head -c 32 /dev/urandom > " + file + "')");
        }
        return content.clone();
    }

    /**
     * Writes 32 random bytes to a private temp file and links it into place, so two collectors starting
     * at once agree on one key: the second one's link fails and it reads the first one's key.
     */
    private static void create(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        byte[] key = new byte[NEW_KEY_BYTES];
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, ".hmac-key-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            new SecureRandom().nextBytes(key);
            Files.write(tmp, key);
            try {
                Files.createLink(file, tmp);
                LOG.info("created HMAC key file {} (32 random bytes, mode 0600); copy it to hosts whose tokens must match",
                        file);
            } catch (FileAlreadyExistsException raced) {
                // another collector created it first: use that one
            }
        } catch (IOException e) {
            throw new HeaderPolicyException("cannot create HMAC key file " + file + ": " + e
                    + "; pass --hmac-key-file with an existing key, or choose --secret-action redact", e);
        } finally {
            Arrays.fill(key, (byte) 0);
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a stray temp file holds an unused key with mode 0600; nothing to do
                }
            }
        }
    }

    private static void warnIfOthersCanRead(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("HMAC key file {} is readable by group or others ({}); 'chmod 600 {}' keeps tokens unguessable",
                        file, PosixFilePermissions.toString(perms), file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
