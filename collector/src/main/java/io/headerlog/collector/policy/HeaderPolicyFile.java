package io.headerlog.collector.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a header policy file: one JSON object (comments allowed), every field optional.
 *
 * <pre>
 * {
 *   "deny": ["x-debug-token"],              // or "allow": ["host", "user-agent", ...] — not both
 *   "secretHeaders": ["x-api-key"],         // added to authorization, proxy-authorization, cookie, set-cookie
 *   "secretAction": "hmac",                 // hmac | redact | drop
 *   "maxHeaders": 64,
 *   "maxHeaderValue": 1024,
 *   "hmacKeyFile": "/etc/headerlog/hmac.key" // relative paths are relative to this file's directory
 * }
 * </pre>
 *
 * Errors name the file, the field and what is allowed.
 */
final class HeaderPolicyFile {
    static final Set<String> FIELDS =
            Set.of("allow", "deny", "secretHeaders", "secretAction", "maxHeaders", "maxHeaderValue", "hmacKeyFile");
    private static final long MAX_FILE_BYTES = 1 << 20;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.ALLOW_COMMENTS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private HeaderPolicyFile() {}

    static HeaderPolicyOverrides read(Path file) {
        JsonNode root = parse(file);
        String in = "header policy file " + file;
        if (!root.isObject()) {
            throw new HeaderPolicyException(in + ": expected one JSON object like {\"deny\": [\"x-debug\"]}, got "
                    + kind(root));
        }
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            if (!FIELDS.contains(name)) {
                throw new HeaderPolicyException(in + ": unknown field \"" + name + "\"; the fields are "
                        + "allow, deny, secretHeaders, secretAction, maxHeaders, maxHeaderValue, hmacKeyFile");
            }
        }
        List<String> allow = names(root, "allow", in);
        List<String> deny = names(root, "deny", in);
        if (root.has("allow") && root.has("deny")) {
            throw new HeaderPolicyException(in + ": has both \"allow\" and \"deny\"; use one kind of list");
        }
        List<String> secrets = names(root, "secretHeaders", in);
        SecretAction action = null;
        if (root.has("secretAction")) {
            JsonNode n = root.get("secretAction");
            if (!n.isTextual()) {
                throw new HeaderPolicyException(in + ": field \"secretAction\" must be \"hmac\", \"redact\" or \"drop\", got "
                        + kind(n));
            }
            action = SecretAction.parse(n.textValue(), in + ": field \"secretAction\"");
        }
        Integer maxHeaders = integer(root, "maxHeaders", in);
        if (maxHeaders != null) {
            HeaderPolicyConfig.checkMaxHeaders(maxHeaders, in + ": field \"maxHeaders\"");
        }
        Integer maxValue = integer(root, "maxHeaderValue", in);
        if (maxValue != null) {
            HeaderPolicyConfig.checkMaxValueLength(maxValue, in + ": field \"maxHeaderValue\"");
        }
        Path keyFile = null;
        if (root.has("hmacKeyFile")) {
            JsonNode n = root.get("hmacKeyFile");
            if (!n.isTextual() || n.textValue().isBlank()) {
                throw new HeaderPolicyException(in + ": field \"hmacKeyFile\" must be a file path, got " + kind(n));
            }
            Path p = Path.of(n.textValue());
            Path dir = file.toAbsolutePath().getParent();
            keyFile = p.isAbsolute() || dir == null ? p : dir.resolve(p);
        }
        return new HeaderPolicyOverrides(allow, deny, secrets, action, maxHeaders, maxValue, keyFile);
    }

    private static JsonNode parse(Path file) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new HeaderPolicyException("header policy file " + file + " is larger than 1 MiB; is it the right file?");
            }
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || root.isMissingNode()) {
                throw new HeaderPolicyException("header policy file " + file + " is empty; write a JSON object like "
                        + "{\"deny\": [\"x-debug\"]} or leave out --header-policy");
            }
            return root;
        } catch (NoSuchFileException e) {
            throw new HeaderPolicyException("header policy file " + file + " does not exist; check --header-policy");
        } catch (JsonProcessingException e) {
            throw new HeaderPolicyException("header policy file " + file + " is not valid JSON: "
                    + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr(), e);
        } catch (IOException e) {
            throw new HeaderPolicyException("cannot read header policy file " + file + ": " + e, e);
        }
    }

    private static List<String> names(JsonNode root, String field, String in) {
        if (!root.has(field)) {
            return List.of();
        }
        JsonNode n = root.get(field);
        String where = in + ": field \"" + field + "\"";
        if (!n.isArray()) {
            throw new HeaderPolicyException(where + " must be an array of header names like [\"x-api-key\"], got " + kind(n));
        }
        if (n.isEmpty() && field.equals("allow")) {
            throw new HeaderPolicyException(where + " is empty, which would publish no header at all; to publish "
                    + "none set \"maxHeaders\": 0, to publish all leave \"allow\" out");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw new HeaderPolicyException(where + " must hold only strings (header names), got " + kind(e));
            }
            out.add(e.textValue());
        }
        return List.copyOf(HeaderNames.normalize(out, where));
    }

    private static Integer integer(JsonNode root, String field, String in) {
        if (!root.has(field)) {
            return null;
        }
        JsonNode n = root.get(field);
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new HeaderPolicyException(in + ": field \"" + field + "\" must be a whole number, got " + kind(n));
        }
        return n.intValue();
    }

    /** What a JSON value is, for errors; shows numbers and short strings but never long text. */
    private static String kind(JsonNode n) {
        if (n.isTextual()) {
            return n.textValue().length() <= 40 ? "the string \"" + n.textValue() + "\"" : "a long string";
        }
        if (n.isNumber() || n.isBoolean() || n.isNull()) {
            return n.toString();
        }
        return n.isArray() ? "an array" : n.isObject() ? "an object" : n.getNodeType().toString().toLowerCase(Locale.ROOT);
    }
}
