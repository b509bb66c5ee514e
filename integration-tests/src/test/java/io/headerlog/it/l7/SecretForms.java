package io.headerlog.it.l7;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A secret and the forms in which a leak of it could hide: as sent, hex (either case), and Base64
 * (standard and URL alphabets) of any text that contains it, at each of the three alignments a
 * Base64 encoding can take — only the part of the encoding that depends on the secret alone is
 * searched, so "Bearer &lt;secret&gt;" encoded inside a longer string is still found.
 */
final class SecretForms {
    private final String label;
    private final Map<String, byte[]> forms = new LinkedHashMap<>();

    SecretForms(String label, String secret) {
        if (secret.length() < 16) {
            throw new IllegalArgumentException("a secret this short could match by chance: " + label);
        }
        this.label = label;
        byte[] raw = secret.getBytes(StandardCharsets.UTF_8);
        add("as sent", raw);
        add("hex", HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII));
        add("HEX", HexFormat.of().formatHex(raw).toUpperCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        for (int shift = 0; shift < 3; shift++) {
            byte[] shifted = new byte[shift + raw.length];
            System.arraycopy(raw, 0, shifted, shift, raw.length);
            String std = Base64.getEncoder().withoutPadding().encodeToString(shifted);
            // the first group holds filler bits when shifted, the last may hold bits of what follows
            String core = std.substring(shift == 0 ? 0 : 4, std.length() - 4);
            add("base64 at offset " + shift, core.getBytes(StandardCharsets.US_ASCII));
            add("base64url at offset " + shift, core.replace('+', '-').replace('/', '_').getBytes(StandardCharsets.US_ASCII));
        }
    }

    private void add(String name, byte[] bytes) {
        forms.put(name, bytes);
    }

    /** The forms found in {@code data}, as "label (form)"; empty when none is there. */
    List<String> foundIn(byte[] data) {
        List<String> found = new ArrayList<>();
        forms.forEach((name, form) -> {
            if (indexOf(data, form) >= 0) {
                found.add(label + " (" + name + ")");
            }
        });
        return found;
    }

    List<String> foundIn(String text) {
        return foundIn(text.getBytes(StandardCharsets.UTF_8));
    }

    static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public String toString() {
        return label;   // never the secret itself
    }
}
