package io.headerlog.deploy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a picocli command accepts, read from the command class's source: the names of every
 * {@code @Option} (string literals, or a constant such as {@code ConfigDefaults.CONFIG_OPTION},
 * resolved through the class's imports), the {@code --no-} form of negatable ones, -h/--help/
 * -V/--version with {@code mixinStandardHelpOptions = true}, and — when its main installs
 * {@code ConfigDefaults} for an app — the environment variables it reads. Read from source rather
 * than the compiled class so this module needs neither the collector (whose build compiles BPF)
 * nor the streams app on its classpath.
 */
record PicocliOptions(Set<String> flags, Set<String> environment, String app) {

    private static final Pattern NAMES = Pattern.compile("\\bnames\\s*=\\s*(\\{[^}]*}|\"[^\"]*\"|[A-Z]\\w*\\.[A-Z_]+)");
    private static final Pattern NEGATABLE = Pattern.compile("\\bnegatable\\s*=\\s*true\\b");
    private static final Pattern STANDARD_HELP = Pattern.compile("\\bmixinStandardHelpOptions\\s*=\\s*true\\b");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    /** ConfigDefaults.install(cl, "collect", args, System.getenv()) */
    private static final Pattern CONFIG_APP = Pattern.compile("ConfigDefaults\\.install\\(\\s*\\w+\\s*,\\s*\"([a-z-]+)\"");
    /** What ConfigDefaults reads: HEADERLOG_<APP>_<OPTION>, HEADERLOG_<OPTION>, and HEADERLOG_CONFIG. */
    static final String ENV_PREFIX = "HEADERLOG_";
    static final String CONFIG_ENV = "HEADERLOG_CONFIG";

    static PicocliOptions fromSource(String javaSource) {
        Set<String> flags = new TreeSet<>();
        List<String> longest = new ArrayList<>();
        if (STANDARD_HELP.matcher(javaSource).find()) {
            flags.addAll(List.of("-h", "--help", "-V", "--version"));
        }
        int at = 0;
        while ((at = javaSource.indexOf("@Option(", at)) >= 0) {
            int open = at + "@Option".length();
            int close = closingParen(javaSource, open);
            String body = javaSource.substring(open + 1, close);
            Matcher names = NAMES.matcher(body);
            if (!names.find()) {
                throw new IllegalStateException("an @Option without names = ...: " + body);
            }
            List<String> optionNames = names.group(1).startsWith("{") || names.group(1).startsWith("\"")
                    ? quoted(names.group(1)) : List.of(constant(javaSource, names.group(1)));
            boolean negatable = NEGATABLE.matcher(body).find();
            for (String name : optionNames) {
                flags.add(name);
                if (negatable && name.startsWith("--")) {
                    flags.add("--no-" + name.substring(2));
                }
            }
            longest.add(optionNames.stream().max(Comparator.comparingInt(String::length)).orElseThrow());
            at = close;
        }
        if (flags.isEmpty()) {
            throw new IllegalStateException("no picocli options found: is this a command class?");
        }
        Matcher install = CONFIG_APP.matcher(javaSource);
        String app = install.find() ? install.group(1) : null;
        Set<String> environment = new TreeSet<>();
        if (app != null) {
            environment.add(CONFIG_ENV);
            for (String name : longest) {
                String key = name.replaceFirst("^-+", "");
                environment.add(envName(key));
                environment.add(envName(app + "-" + key));
            }
        }
        return new PicocliOptions(flags, environment, app);
    }

    /** "collect-sample-rate" → HEADERLOG_COLLECT_SAMPLE_RATE, as ConfigDefaults names them. */
    static String envName(String dashed) {
        return ENV_PREFIX + dashed.replace('-', '_').replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** Resolves {@code Class.FIELD} through the source's imports to the constant's value. */
    private static String constant(String javaSource, String reference) {
        String simple = reference.substring(0, reference.indexOf('.'));
        Matcher imported = Pattern.compile("^import\\s+([\\w.]+\\." + simple + ");", Pattern.MULTILINE).matcher(javaSource);
        if (!imported.find()) {
            throw new IllegalStateException("cannot resolve option name " + reference + ": no import of " + simple);
        }
        try {
            Object value = Class.forName(imported.group(1)).getField(reference.substring(reference.indexOf('.') + 1)).get(null);
            return (String) value;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot resolve option name " + reference + ": " + e, e);
        }
    }

    private static List<String> quoted(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = QUOTED.matcher(s);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The index of the ')' closing the '(' at {@code open}, skipping string and char literals. */
    private static int closingParen(String s, int open) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\'') {
                for (i++; i < s.length() && s.charAt(i) != c; i++) {
                    if (s.charAt(i) == '\\') {
                        i++;
                    }
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unbalanced parentheses after index " + open);
    }
}
