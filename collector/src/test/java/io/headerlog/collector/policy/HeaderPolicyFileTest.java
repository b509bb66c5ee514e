package io.headerlog.collector.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.collector.policy.HeaderPolicyConfig.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeaderPolicyFileTest {
    @TempDir
    Path dir;

    private Path file(String json) throws Exception {
        return Files.writeString(dir.resolve("policy.json"), json);
    }

    @Test
    void shouldReadEveryFieldAndAllowComments() throws Exception {
        Path f = file("""
                {
                  // publish only what we need
                  "allow": ["Host", "User-Agent", "X-Api-Key", "Authorization"],
                  "secretHeaders": ["X-Api-Key"],
                  "secretAction": "redact",
                  "maxHeaders": 16,
                  "maxHeaderValue": 256,
                  "hmacKeyFile": "/etc/headerlog/hmac.key"
                }
                """);
        HeaderPolicyConfig c = HeaderPolicyConfig.load(f);
        assertThat(c.mode()).isEqualTo(Mode.ALLOW_LIST);
        assertThat(c.names()).containsExactly("host", "user-agent", "x-api-key", "authorization");
        assertThat(c.secretNames()).contains("x-api-key", "cookie");
        assertThat(c.secretAction()).isEqualTo(SecretAction.REDACT);
        assertThat(c.maxHeaders()).isEqualTo(16);
        assertThat(c.maxValueLength()).isEqualTo(256);
        assertThat(c.hmacKeyFile()).contains(Path.of("/etc/headerlog/hmac.key"));
    }

    @Test
    void shouldKeepDefaultsForFieldsLeftOut() throws Exception {
        assertThat(HeaderPolicyConfig.load(file("{}"))).isEqualTo(HeaderPolicyConfig.defaults());
        HeaderPolicyConfig c = HeaderPolicyConfig.load(file("{\"deny\": [\"x-debug\"]}"));
        assertThat(c.mode()).isEqualTo(Mode.DENY_LIST);
        assertThat(c.names()).containsExactly("x-debug");
    }

    @Test
    void shouldResolveARelativeKeyFileAgainstThePolicyFilesDirectory() throws Exception {
        assertThat(HeaderPolicyConfig.load(file("{\"hmacKeyFile\": \"keys/hmac.key\"}")).hmacKeyFile())
                .contains(dir.resolve("keys/hmac.key"));
    }

    @Test
    void shouldNameAnUnknownFieldAndListTheKnownOnes() throws Exception {
        Path f = file("{\"denyList\": [\"x\"]}");
        assertThatThrownBy(() -> HeaderPolicyConfig.load(f))
                .isInstanceOf(HeaderPolicyException.class)
                .hasMessage("header policy file " + f + ": unknown field \"denyList\"; the fields are allow, deny, "
                        + "secretHeaders, secretAction, maxHeaders, maxHeaderValue, hmacKeyFile");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"allow\": \"host\"}                 | field \"allow\" must be an array of header names like [\"x-api-key\"], got the string \"host\"",
        "{\"allow\": []}                      | field \"allow\" is empty, which would publish no header at all",
        "{\"deny\": [1]}                       | field \"deny\" must hold only strings (header names), got 1",
        "{\"deny\": [\"a b\"]}                 | field \"deny\": 'a b' is not a header name",
        "{\"secretAction\": \"hash\"}          | field \"secretAction\" takes hmac, redact or drop, got 'hash'",
        "{\"secretAction\": 1}                 | field \"secretAction\" must be \"hmac\", \"redact\" or \"drop\", got 1",
        "{\"maxHeaders\": \"64\"}              | field \"maxHeaders\" must be a whole number, got the string \"64\"",
        "{\"maxHeaders\": 1.5}                 | field \"maxHeaders\" must be a whole number, got 1.5",
        "{\"maxHeaders\": 99999999999}         | field \"maxHeaders\" must be a whole number, got 99999999999",
        "{\"maxHeaders\": -1}                  | field \"maxHeaders\" must be 0..1024 headers, got -1",
        "{\"maxHeaderValue\": 8}               | field \"maxHeaderValue\" must be 32..65536 characters",
        "{\"hmacKeyFile\": \"\"}               | field \"hmacKeyFile\" must be a file path, got the string \"\"",
        "{\"allow\": [\"a\"], \"deny\": [\"b\"]} | has both \"allow\" and \"deny\"; use one kind of list",
        "[\"host\"]                            | expected one JSON object like {\"deny\": [\"x-debug\"]}, got an array",
    })
    void shouldSayWhichFieldIsWrongAndWhatItTakes(String json, String message) throws Exception {
        Path f = file(json);
        assertThatThrownBy(() -> HeaderPolicyConfig.load(f))
                .isInstanceOf(HeaderPolicyException.class)
                .hasMessageStartingWith("header policy file " + f + ": ")
                .hasMessageContaining(message);
    }

    @Test
    void shouldPointAtBrokenJson() throws Exception {
        Path f = file("{\n  \"deny\": [\"x\",]\n}");
        assertThatThrownBy(() -> HeaderPolicyConfig.load(f))
                .hasMessageStartingWith("header policy file " + f + " is not valid JSON: ")
                .hasMessageContaining("at line 2");
    }

    @Test
    void shouldRejectDuplicateFields() throws Exception {
        Path f = file("{\"maxHeaders\": 1, \"maxHeaders\": 2}");
        assertThatThrownBy(() -> HeaderPolicyConfig.load(f)).hasMessageContaining("Duplicate field 'maxHeaders'");
    }

    @Test
    void shouldSayWhenTheFileIsMissingOrEmpty() throws Exception {
        Path missing = dir.resolve("nope.json");
        assertThatThrownBy(() -> HeaderPolicyConfig.load(missing))
                .hasMessage("header policy file " + missing + " does not exist; check --header-policy");
        Path empty = file("");
        assertThatThrownBy(() -> HeaderPolicyConfig.load(empty)).hasMessageContaining("is empty");
    }
}
