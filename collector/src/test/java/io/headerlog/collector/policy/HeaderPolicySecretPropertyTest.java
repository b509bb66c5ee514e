package io.headerlog.collector.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.headerlog.collector.l7.RawHeader;
import io.headerlog.collector.policy.HeaderPolicyConfig.Mode;
import io.headerlog.schema.HttpHeader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seeded random header lists with random secrets, under random policies: a secret value never appears
 * in any published field or in the text of any result object, every result stays within its limits,
 * and equal secrets give equal tokens through two tokenizers sharing one key.
 */
class HeaderPolicySecretPropertyTest {
    private static final int CASES = 5000;
    private static final String KEY_TEXT = "k3y-Of-This-Host-0123456789";
    private static final List<String> SECRET_NAMES =
            List.of("Authorization", "proxy-authorization", "COOKIE", "Set-Cookie", "X-Api-Key", "x-request-id");
    private static final List<String> PLAIN_NAMES =
            List.of("Host", "User-Agent", "Accept", "Content-Type", "Content-Length", "traceparent", "X-Other");

    @Test
    void shouldNeverPublishASecretValueAndStayWithinTheLimits() {
        Random rnd = new Random(0x5EC2E7L);
        SecretTokenizer one = new SecretTokenizer(KEY_TEXT.getBytes(StandardCharsets.US_ASCII));
        SecretTokenizer two = new SecretTokenizer(KEY_TEXT.getBytes(StandardCharsets.US_ASCII));
        for (int c = 0; c < CASES; c++) {
            SecretAction action = SecretAction.values()[rnd.nextInt(3)];
            Mode mode = rnd.nextBoolean() ? Mode.DENY_LIST : Mode.ALLOW_LIST;
            Set<String> listed = rnd.nextBoolean() ? Set.of("cookie", "x-api-key", "host") : Set.of("accept");
            int maxHeaders = rnd.nextInt(12);
            int maxValue = 32 + rnd.nextInt(100);
            HeaderPolicyConfig config = new HeaderPolicyConfig(mode, listed, Set.of("x-api-key", "x-request-id"), action,
                    maxHeaders, maxValue, Optional.empty());

            List<String> secrets = new ArrayList<>();
            List<RawHeader> headers = new ArrayList<>();
            int n = rnd.nextInt(16);
            for (int i = 0; i < n; i++) {
                if (rnd.nextBoolean()) {
                    String secret = secret(rnd, secrets);
                    secrets.add(secret);
                    headers.add(new RawHeader(SECRET_NAMES.get(rnd.nextInt(SECRET_NAMES.size())), secret));
                } else {
                    // plain values use digits and punctuation only, so they cannot contain a secret by chance
                    headers.add(new RawHeader(PLAIN_NAMES.get(rnd.nextInt(PLAIN_NAMES.size())), plain(rnd)));
                }
            }
            String ctx = "case " + c + " " + config;
            PolicyResult a = new HeaderPolicy(config, one).apply(headers);
            PolicyResult b = new HeaderPolicy(config, two).apply(headers);
            assertThat(a).as(ctx).isEqualTo(b); // same key, same tokens: joinable across collectors

            List<String> published = new ArrayList<>();
            for (HttpHeader h : a.headers()) {
                published.add(h.getName());
                published.add(h.getValue());
                published.add(h.toString());
                assertThat(h.getValue().length()).as(ctx).isLessThanOrEqualTo(maxValue);
            }
            Collections.addAll(published, a.host(), a.userAgent(), a.contentType(), a.requestId(), a.traceparent(),
                    String.valueOf(a.contentLength()), a.toString());
            headers.forEach(h -> published.add(h.toString()));
            // one text of every field, NUL-separated (no secret holds a NUL, so none can span two fields)
            String all = String.join("\0", published.stream().map(String::valueOf).toList());
            for (String secret : secrets) {
                if (all.contains(secret)) {
                    assertThat(all).as(ctx).doesNotContain(secret);
                }
            }
            assertThat(a.headers().size()).as(ctx).isLessThanOrEqualTo(maxHeaders);
            assertThat(a.headers().size() + a.headersDropped()).as(ctx).isEqualTo(headers.size());
        }
    }

    @Test
    void shouldGiveEqualTokensToEqualSecretsAndDifferentOnesToDifferentSecrets() {
        Random rnd = new Random(7);
        SecretTokenizer one = new SecretTokenizer(KEY_TEXT.getBytes(StandardCharsets.US_ASCII));
        SecretTokenizer two = new SecretTokenizer(KEY_TEXT.getBytes(StandardCharsets.US_ASCII));
        Map<String, String> tokenOf = new HashMap<>();
        Map<String, String> secretOf = new HashMap<>();
        List<String> drawn = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String secret = secret(rnd, drawn); // a quarter repeat an earlier secret
            drawn.add(secret);
            String token = one.token(secret);
            String other = two.token(secret);
            if (!other.equals(token)) {
                assertThat(other).as("same key, same value").isEqualTo(token);
            }
            String earlier = tokenOf.putIfAbsent(secret, token);
            if (earlier != null && !earlier.equals(token)) {
                assertThat(token).as("a repeated value").isEqualTo(earlier);
            }
            String owner = secretOf.putIfAbsent(token, secret);
            if (owner != null && !owner.equals(secret)) {
                assertThat(owner).as("token collision").isEqualTo(secret);
            }
        }
        assertThat(tokenOf.size()).isLessThan(drawn.size()); // values did repeat
        assertThat(secretOf).hasSameSizeAs(tokenOf);
    }

    /** Random secrets, some holding the key itself, the token prefix, or an earlier secret (so values repeat). */
    private static String secret(Random rnd, List<String> earlier) {
        if (!earlier.isEmpty() && rnd.nextInt(4) == 0) {
            return earlier.get(rnd.nextInt(earlier.size()));
        }
        StringBuilder sb = new StringBuilder();
        switch (rnd.nextInt(5)) {
            case 0: sb.append("Bearer "); break;
            case 1: sb.append("hmac:"); break;
            case 2: sb.append(KEY_TEXT); break;
            default: break;
        }
        int len = 10 + rnd.nextInt(rnd.nextBoolean() ? 20 : 400);
        for (int i = 0; i < len; i++) {
            int kind = rnd.nextInt(10);
            sb.append(kind < 8 ? String.valueOf((char) ('A' + rnd.nextInt(58))) : kind == 8 ? "\u00e9" : "\ud83d\ude00");
        }
        if (rnd.nextInt(5) == 0) {
            sb.append(rnd.nextBoolean() ? "hmac:" : KEY_TEXT);
        }
        return sb.toString();
    }

    private static String plain(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int len = rnd.nextInt(rnd.nextBoolean() ? 10 : 300);
        for (int i = 0; i < len; i++) {
            sb.append("0123456789-/.;= ".charAt(rnd.nextInt(16)));
        }
        return sb.toString();
    }
}
