package io.headerlog.collector.filters;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.headerlog.collector.bpf.FilterRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads kernel filter rules from a JSON file (comments allowed, every field optional):
 *
 * <pre>
 * {
 *   "allowNets": ["198.18.0.0/15", "fd00::/8"],   // source or destination must be in one
 *   "denyNets": ["198.18.5.0/24"],                // the longest matching prefix decides
 *   "allowPorts": [80, 443, 53],                  // TCP/UDP source or destination port
 *   "denyPorts": [22],
 *   "allowProtocols": ["tcp", "udp", 1],           // names or numbers
 *   "denyProtocols": ["gre"]
 * }
 * </pre>
 *
 * Errors name the file, the field and what is allowed.
 */
public final class FilterFile {
    static final List<String> FIELDS = List.of("allowNets", "denyNets", "allowPorts", "denyPorts",
            "allowProtocols", "denyProtocols");
    private static final long MAX_FILE_BYTES = 1 << 20;
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.ALLOW_COMMENTS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private FilterFile() {}

    /** The rules in {@code file}. @throws IllegalArgumentException with a one-line reason */
    public static FilterRules read(Path file) {
        String in = "filter file " + file;
        JsonNode root;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new IllegalArgumentException(in + " is larger than 1 MiB");
            }
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(in + " cannot be read: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(in + ": expected one JSON object like {\"denyPorts\": [22]}");
        }
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                throw new IllegalArgumentException(in + ": unknown field \"" + field.getKey() + "\"; the fields are "
                        + String.join(", ", FIELDS));
            }
        }
        try {
            return new FilterRules(texts(root, "allowNets", in), texts(root, "denyNets", in),
                    numbers(root, "allowPorts", in, false), numbers(root, "denyPorts", in, false),
                    numbers(root, "allowProtocols", in, true), numbers(root, "denyProtocols", in, true));
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(in) ? e : new IllegalArgumentException(in + ": " + e.getMessage(), e);
        }
    }

    private static List<String> texts(JsonNode root, String name, String in) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array(root, name, in)) {
            if (!n.isTextual()) {
                throw new IllegalArgumentException(in + ": field \"" + name + "\" holds address prefixes as strings"
                        + " like \"198.18.0.0/15\", got " + n);
            }
            out.add(n.textValue());
        }
        return out;
    }

    private static Set<Integer> numbers(JsonNode root, String name, String in, boolean protocols) {
        Set<Integer> out = new LinkedHashSet<>();
        for (JsonNode n : array(root, name, in)) {
            if (n.isInt()) {
                out.add(n.intValue());
            } else if (protocols && n.isTextual()) {
                out.add(FilterRules.protocolNumber(n.textValue()));
            } else {
                throw new IllegalArgumentException(in + ": field \"" + name + "\" holds "
                        + (protocols ? "protocol names or numbers" : "port numbers") + ", got " + n);
            }
        }
        return out;
    }

    private static Iterable<JsonNode> array(JsonNode root, String name, String in) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException(in + ": field \"" + name + "\" must be a JSON array");
        }
        return n;
    }
}
