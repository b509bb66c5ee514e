package io.headerlog.collector.policy;

import java.nio.file.Path;
import java.util.List;

/**
 * Policy values from one source — the command line or a policy file — each absent unless given.
 * Lists extend what they are applied to; single values replace it.
 *
 * @param allow          --header-allow: publish only these (switches to an allow list)
 * @param deny           --header-deny: leave these out
 * @param secretHeaders  --secret-header: more headers whose values are secret
 * @param secretAction   --secret-action, or null
 * @param maxHeaders     --max-headers, or null
 * @param maxHeaderValue --max-header-value, or null
 * @param hmacKeyFile    --hmac-key-file, or null
 */
public record HeaderPolicyOverrides(List<String> allow, List<String> deny, List<String> secretHeaders,
                                    SecretAction secretAction, Integer maxHeaders, Integer maxHeaderValue,
                                    Path hmacKeyFile) {

    public HeaderPolicyOverrides {
        allow = allow == null ? List.of() : List.copyOf(allow);
        deny = deny == null ? List.of() : List.copyOf(deny);
        secretHeaders = secretHeaders == null ? List.of() : List.copyOf(secretHeaders);
    }

    /** Nothing given. */
    public static HeaderPolicyOverrides none() {
        return new HeaderPolicyOverrides(List.of(), List.of(), List.of(), null, null, null, null);
    }

    /** Checks every value, naming the flag it came from; names come back in lower case. */
    HeaderPolicyOverrides validatedAsFlags() {
        if (!allow.isEmpty() && !deny.isEmpty()) {
            throw new HeaderPolicyException("--header-allow and --header-deny cannot be combined: "
                    + "use one kind of list (allow or deny)");
        }
        if (maxHeaders != null) {
            HeaderPolicyConfig.checkMaxHeaders(maxHeaders, "--max-headers");
        }
        if (maxHeaderValue != null) {
            HeaderPolicyConfig.checkMaxValueLength(maxHeaderValue, "--max-header-value");
        }
        return new HeaderPolicyOverrides(
                List.copyOf(HeaderNames.normalize(allow, "--header-allow")),
                List.copyOf(HeaderNames.normalize(deny, "--header-deny")),
                List.copyOf(HeaderNames.normalize(secretHeaders, "--secret-header")),
                secretAction, maxHeaders, maxHeaderValue, hmacKeyFile);
    }
}
