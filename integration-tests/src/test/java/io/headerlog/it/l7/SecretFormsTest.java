package io.headerlog.it.l7;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The leak search must find a secret in every form it claims, wherever it sits, and nothing else. */
class SecretFormsTest {
    private static final String SECRET = "Zq8RtW2mLx5vNc7pKd3sHf9jBg4yTe6u";
    private final SecretForms forms = new SecretForms("test secret", SECRET);

    @Test
    void shouldFindTheSecretAsSentInsideOtherText() {
        assertThat(forms.foundIn("{\"value\":\"Bearer " + SECRET + "\"}")).containsExactly("test secret (as sent)");
    }

    @Test
    void shouldFindBase64OfAnyTextHoldingTheSecretAtEveryAlignment() {
        for (String prefix : new String[] {"", "B", "Be", "Bearer ", "Basic x:"}) {
            byte[] text = (prefix + SECRET + "; Path=/").getBytes(StandardCharsets.UTF_8);
            assertThat(forms.foundIn("x" + Base64.getEncoder().encodeToString(text) + "y"))
                    .as("prefix '%s'", prefix).anyMatch(f -> f.contains("(base64 at offset"));
            assertThat(forms.foundIn(Base64.getUrlEncoder().withoutPadding().encodeToString(text)))
                    .as("url alphabet, prefix '%s'", prefix).isNotEmpty();
        }
    }

    @Test
    void shouldFindHexInEitherCase() {
        String hex = HexFormat.of().formatHex(SECRET.getBytes(StandardCharsets.UTF_8));
        assertThat(forms.foundIn("00" + hex + "ff")).containsExactly("test secret (hex)");
        assertThat(forms.foundIn(hex.toUpperCase())).containsExactly("test secret (HEX)");
    }

    @Test
    void shouldNotFindAnythingInUnrelatedTextOrTokens() {
        assertThat(forms.foundIn("hmac:3q2-7wAAAAAAAAAAAAAAAA " + SECRET.substring(0, 20))).isEmpty();
        assertThat(forms.toString()).doesNotContain(SECRET);
    }

    @Test
    void shouldRefuseSecretsTooShortToSearchReliably() {
        assertThatThrownBy(() -> new SecretForms("short", "abc")).isInstanceOf(IllegalArgumentException.class);
    }
}
