package io.headerlog.collector.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HmacKeyFileTest {
    @TempDir
    Path dir;

    /** Key files are 0600, as users are told to make them (a readable one is only warned about). */
    private static Path privately(Path file) throws Exception {
        return Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void shouldReadARawKey() throws Exception {
        byte[] raw = new byte[32];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i * 37 + 200); // not hex text
        }
        Path f = privately(Files.write(dir.resolve("raw.key"), raw));
        assertThat(HmacKeyFile.read(f)).isEqualTo(raw);
    }

    @Test
    void shouldReadAHexKeyWithATrailingNewline() throws Exception {
        String hex = "00112233445566778899AABBCCDDEEFF0123456789abcdef0123456789abcdef";
        Path f = privately(Files.writeString(dir.resolve("hex.key"), hex + "\n"));
        assertThat(HmacKeyFile.read(f)).isEqualTo(HexFormat.of().parseHex(hex));
    }

    @Test
    void shouldGiveTheSameTokensForARawKeyAndItsHexSpelling() throws Exception {
        byte[] raw = "a-raw-key-of-24-bytes-xy".getBytes(StandardCharsets.US_ASCII);
        Path rawFile = privately(Files.write(dir.resolve("raw.key"), raw));
        Path hexFile = privately(Files.writeString(dir.resolve("hex.key"), HexFormat.of().formatHex(raw)));
        assertThat(SecretTokenizer.fromKeyFile(rawFile).token("v")).isEqualTo(SecretTokenizer.fromKeyFile(hexFile).token("v"));
    }

    @Test
    void shouldRejectAKeyThatIsTooShort() throws Exception {
        Path f = Files.writeString(dir.resolve("short.key"), "tooshort");
        assertThatThrownBy(() -> HmacKeyFile.read(f))
                .isInstanceOf(HeaderPolicyException.class)
                .hasMessageContaining("holds 8 bytes; a key needs at least 16 raw bytes or 32 hex digits")
                .hasMessageNotContaining("tooshort");
    }

    @Test
    void shouldTellHowToCreateAMissingKeyFile() {
        Path f = dir.resolve("missing.key");
        assertThatThrownBy(() -> SecretTokenizer.fromKeyFile(f))
                .isInstanceOf(HeaderPolicyException.class)
                .hasMessageContaining(f + " does not exist; create one with 'head -c 32 /dev/urandom > " + f);
    }

    @Test
    void shouldRejectAHugeFile() throws Exception {
        Path f = Files.write(dir.resolve("big.key"), new byte[5000]);
        assertThatThrownBy(() -> HmacKeyFile.read(f)).hasMessageContaining("is larger than 4096 bytes");
    }

    @Test
    void shouldCreateTheDefaultKeyWith32RandomBytesOwnerOnly() throws Exception {
        Path f = dir.resolve("var/lib/headerlog/hmac.key");
        SecretTokenizer first = SecretTokenizer.forKeyFile(Optional.empty(), f);
        assertThat(Files.size(f)).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        try (var files = Files.list(f.getParent())) {
            assertThat(files).containsExactly(f); // no temp file left behind
        }
        // a restart reads the same key: tokens stay stable
        assertThat(SecretTokenizer.forKeyFile(Optional.empty(), f).token("c=1")).isEqualTo(first.token("c=1"));
    }

    @Test
    void shouldCreateDifferentKeysOnDifferentHosts() {
        String a = SecretTokenizer.forKeyFile(Optional.empty(), dir.resolve("a/hmac.key")).token("c=1");
        String b = SecretTokenizer.forKeyFile(Optional.empty(), dir.resolve("b/hmac.key")).token("c=1");
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void shouldPreferTheNamedKeyFileOverTheDefault() throws Exception {
        Path named = privately(Files.writeString(dir.resolve("named.key"), "0123456789abcdef0123456789abcdef"));
        Path def = dir.resolve("default/hmac.key");
        SecretTokenizer t = SecretTokenizer.forKeyFile(Optional.of(named), def);
        assertThat(t.token("x")).isEqualTo(SecretTokenizer.fromKeyFile(named).token("x"));
        assertThat(def).doesNotExist();
    }

    @Test
    void shouldSayWhyTheDefaultKeyCannotBeCreated() throws Exception {
        Path blocker = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> SecretTokenizer.forKeyFile(Optional.empty(), blocker.resolve("hmac.key")))
                .isInstanceOf(HeaderPolicyException.class)
                .hasMessageContaining("cannot create HMAC key file")
                .hasMessageContaining("--secret-action redact");
    }
}
