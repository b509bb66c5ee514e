package io.headerlog.collector.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headerlog.collector.l7.RawHeader;
import io.headerlog.collector.policy.HeaderPolicyConfig.Mode;
import io.headerlog.schema.HttpHeader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HeaderPolicyTest {
    private static final SecretTokenizer TOKENS =
            new SecretTokenizer("test-key-0123456789".getBytes(StandardCharsets.US_ASCII));

    private static List<RawHeader> headers(String... nameValue) {
        List<RawHeader> out = new ArrayList<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            out.add(new RawHeader(nameValue[i], nameValue[i + 1]));
        }
        return out;
    }

    private static HeaderPolicyConfig config(Mode mode, Set<String> names, Set<String> secrets, SecretAction action,
                                             int maxHeaders, int maxValue) {
        return new HeaderPolicyConfig(mode, names, secrets, action, maxHeaders, maxValue, Optional.empty());
    }

    private static HeaderPolicy policy(HeaderPolicyConfig c) {
        return new HeaderPolicy(c, TOKENS);
    }

    private static List<String> rendered(PolicyResult r) {
        return r.headers().stream().map(h -> h.getName() + ": " + h.getValue()).collect(Collectors.toList());
    }

    @Test
    void shouldPublishEveryHeaderInOrderWithNamesAsSentByDefault() {
        PolicyResult r = policy(HeaderPolicyConfig.defaults()).apply(headers(
                "Host", "example.test", "ACCEPT", "*/*", "x-Custom", "1"));
        assertThat(rendered(r)).containsExactly("Host: example.test", "ACCEPT: */*", "x-Custom: 1");
        assertThat(r.headersDropped()).isZero();
        assertThat(r.valuesCut()).isZero();
    }

    @Test
    void shouldLeaveOutDeniedHeadersWhateverTheirCase() {
        HeaderPolicy p = policy(config(Mode.DENY_LIST, Set.of("x-debug", "Accept"), Set.of(), SecretAction.HMAC, 64, 1024));
        PolicyResult r = p.apply(headers("Host", "h", "X-DEBUG", "1", "accept", "*/*", "X-Other", "2"));
        assertThat(rendered(r)).containsExactly("Host: h", "X-Other: 2");
        assertThat(r.headersDropped()).isEqualTo(2);
    }

    @Test
    void shouldPublishOnlyAllowedHeaders() {
        HeaderPolicy p = policy(config(Mode.ALLOW_LIST, Set.of("host", "user-agent"), Set.of(), SecretAction.HMAC, 64, 1024));
        PolicyResult r = p.apply(headers("HOST", "h", "Accept", "*/*", "User-Agent", "curl/8", "Cookie", "c=1"));
        assertThat(rendered(r)).containsExactly("HOST: h", "User-Agent: curl/8");
        assertThat(r.headersDropped()).isEqualTo(2);
        assertThat(r.host()).isEqualTo("h");
        assertThat(r.userAgent()).isEqualTo("curl/8");
    }

    @Test
    void shouldPublishAtMostMaxHeadersAndCountTheRest() {
        HeaderPolicy p = policy(config(Mode.DENY_LIST, Set.of(), Set.of(), SecretAction.HMAC, 2, 1024));
        PolicyResult r = p.apply(headers("A", "1", "B", "2", "C", "3", "Host", "late.test"));
        assertThat(rendered(r)).containsExactly("A: 1", "B: 2");
        assertThat(r.headersDropped()).isEqualTo(2);
        assertThat(r.host()).as("the count limit does not hide dedicated fields").isEqualTo("late.test");
        assertThat(policy(config(Mode.DENY_LIST, Set.of(), Set.of(), SecretAction.HMAC, 0, 1024))
                .apply(headers("A", "1")).headers()).isEmpty();
    }

    @Test
    void shouldCutLongValuesToExactlyTheLimitWithAMarker() {
        HeaderPolicy p = policy(config(Mode.DENY_LIST, Set.of(), Set.of(), SecretAction.HMAC, 64, 40));
        String longValue = "v".repeat(41);
        PolicyResult r = p.apply(headers("X-Long", longValue, "X-Fits", "w".repeat(40), "User-Agent", "u".repeat(100)));
        assertThat(r.headers().get(0).getValue()).isEqualTo("v".repeat(32) + "...[cut]").hasSize(40);
        assertThat(r.headers().get(1).getValue()).isEqualTo("w".repeat(40));
        assertThat(r.userAgent()).hasSize(40).endsWith(HeaderPolicy.CUT_MARKER);
        assertThat(r.valuesCut()).isEqualTo(2);
    }

    @Test
    void shouldNotSplitASurrogatePairWhenCutting() {
        String value = "a".repeat(31) + "\ud83d\ude00" + "b".repeat(20); // the emoji straddles the cut at 32
        String cut = HeaderPolicy.cut(value, 40);
        assertThat(cut).isEqualTo("a".repeat(31) + HeaderPolicy.CUT_MARKER);
    }

    @Test
    void shouldTokenizeTheDefaultSecretsByDefault() {
        PolicyResult r = policy(HeaderPolicyConfig.defaults()).apply(headers(
                "Authorization", "Bearer abc", "proxy-authorization", "Basic eA==", "Cookie", "s=1",
                "Set-Cookie", "s=2; HttpOnly"));
        assertThat(r.headers()).extracting(HttpHeader::getValue).containsExactly(
                TOKENS.token("Bearer abc"), TOKENS.token("Basic eA=="), TOKENS.token("s=1"), TOKENS.token("s=2; HttpOnly"));
        assertThat(r.headers()).extracting(HttpHeader::getName)
                .containsExactly("Authorization", "proxy-authorization", "Cookie", "Set-Cookie");
        assertThat(r.headersDropped()).isZero();
    }

    @Test
    void shouldNeverCutATokenEvenAtTheSmallestValueLimit() {
        HeaderPolicy p = policy(config(Mode.DENY_LIST, Set.of(), Set.of(), SecretAction.HMAC, 64, 32));
        PolicyResult r = p.apply(headers("Cookie", "c".repeat(500)));
        assertThat(r.headers().get(0).getValue()).isEqualTo(TOKENS.token("c".repeat(500)));
        assertThat(r.valuesCut()).isZero();
    }

    @Test
    void shouldRedactSecretsWhenAsked() {
        HeaderPolicy p = policy(config(Mode.DENY_LIST, Set.of(), Set.of(), SecretAction.REDACT, 64, 1024));
        assertThat(rendered(p.apply(headers("Authorization", "Bearer abc", "Accept", "*/*"))))
                .containsExactly("Authorization: [redacted]", "Accept: */*");
    }

    @Test
    void shouldDropSecretsWhenAskedAndCountThem() {
        HeaderPolicy p = new HeaderPolicy(config(Mode.DENY_LIST, Set.of(), Set.of(), SecretAction.DROP, 64, 1024), null);
        PolicyResult r = p.apply(headers("Authorization", "Bearer abc", "Accept", "*/*", "COOKIE", "a=b"));
        assertThat(rendered(r)).containsExactly("Accept: */*");
        assertThat(r.headersDropped()).isEqualTo(2);
    }

    @Test
    void shouldTreatUserAddedSecretsLikeTheDefaultOnes() {
        HeaderPolicy p = policy(config(Mode.DENY_LIST, Set.of(), Set.of("X-Api-Key", "x-request-id"), SecretAction.HMAC,
                64, 1024));
        PolicyResult r = p.apply(headers("x-api-KEY", "k-123", "X-Request-ID", "req-7", "Cookie", "c"));
        assertThat(rendered(r)).containsExactly("x-api-KEY: " + TOKENS.token("k-123"),
                "X-Request-ID: " + TOKENS.token("req-7"), "Cookie: " + TOKENS.token("c"));
        assertThat(r.requestId()).as("a secret's dedicated field carries the token").isEqualTo(TOKENS.token("req-7"));
    }

    @Test
    void shouldFillTheDedicatedFieldsFromTheirHeaders() {
        PolicyResult r = policy(HeaderPolicyConfig.defaults()).apply(headers(
                "host", "example.test:8080", "USER-AGENT", "curl/8.5.0", "Content-Type", "application/json",
                "Content-Length", "1234", "X-Request-Id", "f0e1", "traceparent",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        assertThat(r.host()).isEqualTo("example.test:8080");
        assertThat(r.userAgent()).isEqualTo("curl/8.5.0");
        assertThat(r.contentType()).isEqualTo("application/json");
        assertThat(r.contentLength()).isEqualTo(1234L);
        assertThat(r.requestId()).isEqualTo("f0e1");
        assertThat(r.traceparent()).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    }

    @Test
    void shouldLeaveDedicatedFieldsNullWhenThePolicyRemovesTheirHeaders() {
        HeaderPolicy p = policy(config(Mode.DENY_LIST, Set.of("user-agent", "traceparent", "content-length"), Set.of(),
                SecretAction.HMAC, 64, 1024));
        PolicyResult r = p.apply(headers("Host", "h", "User-Agent", "curl", "traceparent", "00-x", "Content-Length", "5"));
        assertThat(r.host()).isEqualTo("h");
        assertThat(r.userAgent()).isNull();
        assertThat(r.traceparent()).isNull();
        assertThat(r.contentLength()).isNull();
        PolicyResult dropped = new HeaderPolicy(config(Mode.DENY_LIST, Set.of(), Set.of("host"), SecretAction.DROP, 64,
                1024), null).apply(headers("Host", "h", "Host", "second"));
        assertThat(dropped.host()).as("a dropped first Host is not replaced by a second one").isNull();
    }

    @Test
    void shouldNotParseContentLengthFromASecretOrAMalformedValue() {
        HeaderPolicy secretLength = policy(config(Mode.DENY_LIST, Set.of(), Set.of("content-length"), SecretAction.HMAC,
                64, 1024));
        assertThat(secretLength.apply(headers("Content-Length", "12")).contentLength()).isNull();
        for (String bad : List.of("", "+5", "-1", "1,1", "0x10", " 5", "1234567890123456789", "9".repeat(40))) {
            assertThat(HeaderPolicy.parseContentLength(bad)).as(bad).isNull();
        }
        assertThat(HeaderPolicy.parseContentLength("000")).isZero();
        assertThat(HeaderPolicy.parseContentLength("999999999999999999")).isEqualTo(999_999_999_999_999_999L);
    }

    @Test
    void shouldTakeTheFirstOfDuplicateDedicatedHeaders() {
        PolicyResult r = policy(HeaderPolicyConfig.defaults()).apply(headers(
                "Content-Length", "10", "Host", "a", "content-length", "20", "HOST", "b"));
        assertThat(r.contentLength()).isEqualTo(10L);
        assertThat(r.host()).isEqualTo("a");
        assertThat(r.headers()).hasSize(4);
    }

    @Test
    void shouldNotThrowOnNullOrOversizedInput() {
        List<RawHeader> odd = new ArrayList<>(Arrays.asList(null, new RawHeader(null, "v"), new RawHeader("X", null),
                new RawHeader("", "v"), new RawHeader("N".repeat(300), "v"), new RawHeader("Cookie", null)));
        PolicyResult r = policy(HeaderPolicyConfig.defaults()).apply(odd);
        assertThat(rendered(r)).containsExactly("X: ", "Cookie: " + TOKENS.token(""));
        assertThat(r.headersDropped()).isEqualTo(4);
        assertThat(policy(HeaderPolicyConfig.defaults()).apply(List.of()).headers()).isEmpty();
    }

    @Test
    void shouldNeedATokenizerOnlyForHmac() {
        assertThatThrownBy(() -> new HeaderPolicy(HeaderPolicyConfig.defaults(), null))
                .hasMessageContaining("needs a SecretTokenizer");
        HeaderPolicyConfig redact = new HeaderPolicyConfig(Mode.DENY_LIST, Set.of(), Set.of(), SecretAction.REDACT, 64,
                1024, Optional.of(Path.of("/nonexistent/never-read.key")));
        assertThat(HeaderPolicy.create(redact).apply(headers("Cookie", "c")).headers().get(0).getValue())
                .isEqualTo(HeaderPolicy.REDACTED);
    }

    @Test
    void shouldLoadTheNamedKeyWhenCreatedForHmac() {
        HeaderPolicyConfig missingKey = new HeaderPolicyConfig(Mode.DENY_LIST, Set.of(), Set.of(), SecretAction.HMAC, 64,
                1024, Optional.of(Path.of("/nonexistent/hmac.key")));
        assertThatThrownBy(() -> HeaderPolicy.create(missingKey)).hasMessageContaining("does not exist");
    }

    @Test
    void shouldShowNoValuesInToString() {
        PolicyResult r = policy(HeaderPolicyConfig.defaults()).apply(headers("Host", "internal.example", "Accept", "x/y"));
        assertThat(r.toString()).contains("Host", "Accept").doesNotContain("internal.example", "x/y");
    }
}
