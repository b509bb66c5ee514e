package io.headerlog.collector.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SecretTokenizerTest {
    private static final byte[] KEY = "0123456789abcdef-test-key".getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldMatchTheHmacSha256TestVectorOfRfc4231() {
        // RFC 4231 test case 1: key = 20 x 0x0b, data = "Hi There"
        byte[] key = new byte[20];
        Arrays.fill(key, (byte) 0x0b);
        byte[] mac = HexFormat.of().parseHex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        String expected = "hmac:" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(mac, 16));
        assertThat(new SecretTokenizer(key).token("Hi There")).isEqualTo(expected);
    }

    @Test
    void shouldGiveShortUrlSafeTokens() {
        String token = new SecretTokenizer(KEY).token("Bearer eyJhbGciOi...");
        assertThat(token).hasSize(27).startsWith("hmac:");
        assertThat(token.substring(5)).matches("[A-Za-z0-9_-]{22}");
    }

    @Test
    void shouldGiveEqualTokensForEqualValuesUnderOneKey() {
        SecretTokenizer a = new SecretTokenizer(KEY);
        SecretTokenizer b = new SecretTokenizer(KEY.clone());
        assertThat(a.token("session=42")).isEqualTo(b.token("session=42"));
        assertThat(a.token("session=42")).isNotEqualTo(a.token("session=43"));
    }

    @Test
    void shouldGiveOtherTokensUnderAnotherKey() {
        byte[] other = KEY.clone();
        other[0] ^= 1;
        assertThat(new SecretTokenizer(KEY).token("session=42")).isNotEqualTo(new SecretTokenizer(other).token("session=42"));
    }

    @Test
    void shouldHashValuesAsUtf8() {
        SecretTokenizer t = new SecretTokenizer(KEY);
        assertThat(t.token("caf\u00e9")).isNotEqualTo(t.token("cafe")).isEqualTo(t.token("caf\u00e9"));
        assertThat(t.token("")).hasSize(27);
    }

    @Test
    void shouldNotBeChangedByTheCallerReusingTheKeyArray() {
        byte[] key = KEY.clone();
        SecretTokenizer t = new SecretTokenizer(key);
        String before = t.token("v");
        Arrays.fill(key, (byte) 0);
        assertThat(t.token("v")).isEqualTo(before);
    }

    @Test
    void shouldRejectKeysShorterThan16Bytes() {
        assertThatThrownBy(() -> new SecretTokenizer(new byte[15]))
                .isInstanceOf(HeaderPolicyException.class)
                .hasMessageContaining("at least 16 bytes, got 15");
    }

    @Test
    void shouldNotShowTheKey() {
        assertThat(new SecretTokenizer(KEY).toString()).doesNotContain("0123456789abcdef");
    }
}
