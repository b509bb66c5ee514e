package io.headerlog.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option values from the environment and a config file, for every headerlog app: a flag on the
 * command line wins, then the environment, then the file, then the built-in default. One file can
 * configure all apps of a host.
 *
 * <p>For an option {@code --sample-rate} of the app {@code collect}:
 * <ul>
 *   <li>environment: {@code HEADERLOG_COLLECT_SAMPLE_RATE}, else {@code HEADERLOG_SAMPLE_RATE} (the
 *       unprefixed name applies to every app that has the option, e.g. {@code HEADERLOG_BOOTSTRAP_SERVERS});</li>
 *   <li>file (Java properties, {@code --config FILE} or {@code HEADERLOG_CONFIG}): {@code collect.sample-rate},
 *       else {@code sample-rate}.</li>
 * </ul>
 * Names prefixed with this app ({@code collect.…}, {@code HEADERLOG_COLLECT_…}) must name one of its
 * options, so a typo fails at start instead of being ignored; unprefixed ones may belong to another app.
 * Repeatable options take one value here (the first flag on the command line replaces it).
 */
public final class ConfigDefaults implements CommandLine.IDefaultValueProvider {

    public static final String ENV_PREFIX = "HEADERLOG_";
    public static final String CONFIG_ENV = "HEADERLOG_CONFIG";
    public static final String CONFIG_OPTION = "--config";

    private final String app;
    private final Map<String, String> env;
    private final Properties file;
    private final String fileName;

    ConfigDefaults(String app, Map<String, String> env, Properties file, String fileName) {
        this.app = app;
        this.env = Map.copyOf(env);
        this.file = file;
        this.fileName = fileName;
    }

    /**
     * Installs the provider on {@code cl} (the command of app {@code app}, e.g. "collect") with the
     * file named by {@code --config} in {@code args} or by {@code HEADERLOG_CONFIG}, and checks that
     * every name prefixed with the app names one of its options.
     *
     * @throws IllegalArgumentException when the file cannot be read or a prefixed name is unknown
     */
    public static ConfigDefaults install(CommandLine cl, String app, String[] args, Map<String, String> env) {
        Optional<Path> path = configPath(args, env);
        Properties props = new Properties();
        if (path.isPresent()) {
            try (Reader r = Files.newBufferedReader(path.get(), StandardCharsets.UTF_8)) {
                props.load(r);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the config file " + path.get() + " (" + e.getMessage()
                        + "); check " + CONFIG_OPTION + " or " + CONFIG_ENV);
            }
        }
        ConfigDefaults defaults = new ConfigDefaults(app, env, props, path.map(Path::toString).orElse(""));
        defaults.checkNames(cl.getCommandSpec().options());
        cl.setDefaultValueProvider(defaults);
        return defaults;
    }

    static Optional<Path> configPath(String[] args, Map<String, String> env) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(CONFIG_OPTION) && i + 1 < args.length) {
                return Optional.of(Path.of(args[i + 1]));
            }
            if (args[i].startsWith(CONFIG_OPTION + "=")) {
                return Optional.of(Path.of(args[i].substring(CONFIG_OPTION.length() + 1)));
            }
        }
        String fromEnv = env.get(CONFIG_ENV);
        return fromEnv == null || fromEnv.isBlank() ? Optional.empty() : Optional.of(Path.of(fromEnv));
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        String name = key(option);
        if (name.equals(CONFIG_OPTION.substring(2))) {
            return null;
        }
        String v = env.get(envName(app + "-" + name));
        if (v == null) {
            v = env.get(envName(name));
        }
        if (v == null) {
            v = file.getProperty(app + "." + name);
        }
        if (v == null) {
            v = file.getProperty(name);
        }
        return v == null ? null : v.strip();
    }

    /** The longest name without its dashes: "--sample-rate" → "sample-rate". */
    static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }

    /** "collect-sample-rate" → HEADERLOG_COLLECT_SAMPLE_RATE. */
    static String envName(String dashed) {
        return ENV_PREFIX + dashed.replace('-', '_').replace('.', '_').toUpperCase(Locale.ROOT);
    }

    private void checkNames(java.util.List<OptionSpec> options) {
        Set<String> known = new TreeSet<>();
        options.forEach(o -> known.add(key(o)));
        String envPrefix = envName(app + "-");
        Set<String> knownEnv = new TreeSet<>();
        known.forEach(k -> knownEnv.add(envName(app + "-" + k)));
        for (String e : env.keySet()) {
            if (e.startsWith(envPrefix) && !knownEnv.contains(e)) {
                throw new IllegalArgumentException("environment variable " + e + " names no option of '" + app
                        + "'; see " + app + " --help for the option names (" + e + " would be --"
                        + e.substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '-') + ")");
            }
        }
        for (String k : file.stringPropertyNames()) {
            if (k.startsWith(app + ".") && !known.contains(k.substring(app.length() + 1))) {
                throw new IllegalArgumentException("config file " + fileName + ": '" + k + "' names no option of '" + app
                        + "'; see " + app + " --help for the option names");
            }
        }
    }
}
