package io.headerlog.collector.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.collector.policy.HeaderPolicyConfig.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeaderPolicyConfigTest {
    @TempDir
    Path dir;

    private static HeaderPolicyOverrides flags(List<String> allow, List<String> deny, List<String> secrets) {
        return new HeaderPolicyOverrides(allow, deny, secrets, null, null, null, null);
    }

    @Test
    void shouldDefaultToEveryHeaderWithTheFourSecretsTokenized() {
        HeaderPolicyConfig d = HeaderPolicyConfig.defaults();
        assertThat(d.mode()).isEqualTo(Mode.DENY_LIST);
        assertThat(d.names()).isEmpty();
        assertThat(d.secretNames()).containsExactlyInAnyOrder("authorization", "proxy-authorization", "cookie", "set-cookie");
        assertThat(d.secretAction()).isEqualTo(SecretAction.HMAC);
        assertThat(d.maxHeaders()).isEqualTo(64);
        assertThat(d.maxValueLength()).isEqualTo(1024);
        assertThat(d.hmacKeyFile()).isEmpty();
        assertThat(HeaderPolicyConfig.DEFAULT_KEY_FILE).isEqualTo(Path.of("/var/lib/headerlog/hmac.key"));
    }

    @Test
    void shouldAlwaysKeepTheDefaultSecretsAndFoldNamesToLowerCase() {
        HeaderPolicyConfig c = new HeaderPolicyConfig(Mode.ALLOW_LIST, Set.of("Host", "X-Trace"), Set.of("X-Api-Key"),
                SecretAction.REDACT, 10, 100, Optional.empty());
        assertThat(c.names()).containsExactlyInAnyOrder("host", "x-trace");
        assertThat(c.secretNames()).contains("x-api-key", "authorization", "cookie", "set-cookie", "proxy-authorization");
        assertThat(c.permits("host")).isTrue();
        assertThat(c.permits("accept")).isFalse();
    }

    @Test
    void shouldRejectNamesThatAreNotHeaderNames() {
        assertThatThrownBy(() -> new HeaderPolicyConfig(Mode.DENY_LIST, Set.of("bad name"), Set.of(), SecretAction.HMAC,
                64, 1024, Optional.empty()))
                .isInstanceOf(HeaderPolicyException.class)
                .hasMessageContaining("'bad name' is not a header name");
        assertThatThrownBy(() -> HeaderPolicyConfig.resolve(null, flags(List.of(), List.of(), List.of("x:y"))))
                .hasMessageStartingWith("--secret-header: 'x:y' is not a header name");
        assertThatThrownBy(() -> HeaderPolicyConfig.resolve(null, flags(List.of(""), List.of(), List.of())))
                .hasMessageStartingWith("--header-allow: '' is not a header name");
        assertThatThrownBy(() -> HeaderPolicyConfig.resolve(null, flags(List.of(), List.of("a\u0001"), List.of())))
                .hasMessageContaining("'a\\x01'");
    }

    @Test
    void shouldRejectLimitsOutsideTheirRanges() {
        assertThatThrownBy(() -> HeaderPolicyConfig.resolve(null,
                new HeaderPolicyOverrides(null, null, null, null, 1025, null, null)))
                .hasMessage("--max-headers must be 0..1024 headers, got 1025");
        assertThatThrownBy(() -> HeaderPolicyConfig.resolve(null,
                new HeaderPolicyOverrides(null, null, null, null, null, 31, null)))
                .hasMessageStartingWith("--max-header-value must be 32..65536 characters");
    }

    @Test
    void shouldSwitchToAnAllowListWhenOnlyAllowFlagsAreGiven() {
        HeaderPolicyConfig c = HeaderPolicyConfig.resolve(null, flags(List.of("Host", "User-Agent"), List.of(), List.of()));
        assertThat(c.mode()).isEqualTo(Mode.ALLOW_LIST);
        assertThat(c.names()).containsExactly("host", "user-agent");
    }

    @Test
    void shouldExtendTheFilesListsWithTheFlags() throws Exception {
        Path f = Files.writeString(dir.resolve("p.json"),
                "{\"deny\": [\"x-debug\"], \"secretHeaders\": [\"x-api-key\"], \"maxHeaders\": 10}");
        HeaderPolicyConfig c = HeaderPolicyConfig.resolve(f, flags(List.of(), List.of("X-Internal"), List.of("X-Token")));
        assertThat(c.mode()).isEqualTo(Mode.DENY_LIST);
        assertThat(c.names()).containsExactly("x-debug", "x-internal");
        assertThat(c.secretNames()).contains("x-api-key", "x-token", "authorization");
        assertThat(c.maxHeaders()).isEqualTo(10);
    }

    @Test
    void shouldLetFlagsReplaceTheFilesSingleValues() throws Exception {
        Path f = Files.writeString(dir.resolve("p.json"),
                "{\"secretAction\": \"drop\", \"maxHeaders\": 10, \"maxHeaderValue\": 100, \"hmacKeyFile\": \"k\"}");
        HeaderPolicyConfig fromFile = HeaderPolicyConfig.load(f);
        assertThat(fromFile.hmacKeyFile()).contains(dir.resolve("k"));
        HeaderPolicyConfig c = HeaderPolicyConfig.resolve(f, new HeaderPolicyOverrides(null, null, null,
                SecretAction.REDACT, 5, 64, Path.of("/etc/hl.key")));
        assertThat(c.secretAction()).isEqualTo(SecretAction.REDACT);
        assertThat(c.maxHeaders()).isEqualTo(5);
        assertThat(c.maxValueLength()).isEqualTo(64);
        assertThat(c.hmacKeyFile()).contains(Path.of("/etc/hl.key"));
    }

    @Test
    void shouldKeepTheFilesValuesWhenNoFlagsAreGiven() throws Exception {
        Path f = Files.writeString(dir.resolve("p.json"), "{\"allow\": [\"host\"], \"secretAction\": \"redact\"}");
        assertThat(HeaderPolicyConfig.resolve(f, HeaderPolicyOverrides.none())).isEqualTo(HeaderPolicyConfig.load(f));
        assertThat(HeaderPolicyConfig.resolve(null, HeaderPolicyOverrides.none())).isEqualTo(HeaderPolicyConfig.defaults());
    }

    @Test
    void shouldRefuseToMixAllowAndDenyLists() throws Exception {
        assertThatThrownBy(() -> HeaderPolicyConfig.resolve(null, flags(List.of("host"), List.of("cookie"), List.of())))
                .hasMessage("--header-allow and --header-deny cannot be combined: use one kind of list (allow or deny)");
        Path allowFile = Files.writeString(dir.resolve("allow.json"), "{\"allow\": [\"host\"]}");
        assertThatThrownBy(() -> HeaderPolicyConfig.resolve(allowFile, flags(List.of(), List.of("cookie"), List.of())))
                .hasMessageContaining("--header-deny cannot be combined with an allow list (in the policy file " + allowFile);
        Path denyFile = Files.writeString(dir.resolve("deny.json"), "{\"deny\": [\"x-debug\"]}");
        assertThatThrownBy(() -> HeaderPolicyConfig.resolve(denyFile, flags(List.of("host"), List.of(), List.of())))
                .hasMessageContaining("--header-allow cannot extend the deny list of the policy file " + denyFile);
    }

    @Test
    void shouldExtendAnAllowListFromTheFile() throws Exception {
        Path f = Files.writeString(dir.resolve("allow.json"), "{\"allow\": [\"host\"]}");
        HeaderPolicyConfig c = HeaderPolicyConfig.resolve(f, flags(List.of("Accept"), List.of(), List.of()));
        assertThat(c.mode()).isEqualTo(Mode.ALLOW_LIST);
        assertThat(c.names()).containsExactly("host", "accept");
    }

    @Test
    void shouldParseSecretActionsInAnyCase() {
        assertThat(SecretAction.parse("HMAC", "--secret-action")).isEqualTo(SecretAction.HMAC);
        assertThat(SecretAction.parse(" Redact ", "--secret-action")).isEqualTo(SecretAction.REDACT);
        assertThat(SecretAction.parse("drop", "--secret-action")).isEqualTo(SecretAction.DROP);
        assertThat(SecretAction.DROP.flagValue()).isEqualTo("drop");
        assertThatThrownBy(() -> SecretAction.parse("hash", "--secret-action"))
                .hasMessage("--secret-action takes hmac, redact or drop, got 'hash'");
    }
}
