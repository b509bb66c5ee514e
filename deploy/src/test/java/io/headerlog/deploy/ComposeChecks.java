package io.headerlog.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the Compose schema cannot see in docker-compose.yml: that every service it depends on exists,
 * every Dockerfile and bind-mounted file exists, every named volume is declared, the Dockerfiles
 * are multi-stage, an image that runs as root drops every capability it does not add back, every
 * flag and every environment variable given to an app is one the app's picocli command (or
 * InitTopicsAndSchemas) reads, and the images run java with the flags the ./headerlog script uses.
 */
final class ComposeChecks {

    /** A runnable jar of the project: its picocli command and the headerlog function that runs it. */
    record App(String jar, String commandSource, String scriptFunction) {}

    private static final String INIT_SOURCE = "deploy/src/main/java/io/headerlog/deploy/InitTopicsAndSchemas.java";

    static final List<App> APPS = List.of(
            new App("headerlog-collector.jar", "collector/src/main/java/io/headerlog/collector/cli/CollectCommand.java",
                    "run_collector"),
            new App("headerlog-streams-app.jar", "streams-app/src/main/java/io/headerlog/streams/StreamCommand.java",
                    "run_streams"));
    /** Read by the JVM in every app container (the script's $HEADERLOG_JAVA_OPTS). */
    private static final String JVM_ENVIRONMENT = "JAVA_TOOL_OPTIONS";
    private static final Pattern ENTRYPOINT = Pattern.compile("^ENTRYPOINT\\s+(\\[.*])\\s*$", Pattern.MULTILINE);
    private static final Pattern FROM = Pattern.compile("^FROM\\s", Pattern.MULTILINE);
    private static final Pattern USER = Pattern.compile("^USER\\s+(\\S+)", Pattern.MULTILINE);

    private final Path root;
    private final JsonNode compose;
    private final String script;
    private final List<String> problems = new ArrayList<>();

    /** @param root the directory docker-compose.yml is in (its relative paths start there) */
    ComposeChecks(Path root, JsonNode compose) {
        this.root = root;
        this.compose = compose;
        this.script = read(root.resolve("headerlog"));
    }

    List<String> problems() {
        compose.path("services").properties().forEach(e -> service(e.getKey(), e.getValue()));
        return problems;
    }

    private void service(String name, JsonNode s) {
        JsonNode deps = s.path("depends_on");
        for (String dep : deps.isArray() ? strings(deps) : new ArrayList<>(deps.propertyNames())) {
            if (!compose.path("services").has(dep)) {
                problems.add(name + ": depends on " + dep + ", which is not a service");
            }
        }
        Map<String, Path> mounts = new HashMap<>(); // container path → host path of bind mounts
        for (JsonNode v : s.path("volumes")) {
            String source;
            String target;
            if (v.isObject()) {
                source = v.path("source").asString("");
                target = v.path("target").asString("");
            } else {
                String[] parts = v.asString().split(":");
                source = parts[0];
                target = parts.length > 1 ? parts[1] : "";
            }
            if (source.startsWith(".")) {
                Path host = root.resolve(source).normalize();
                if (!Files.exists(host)) {
                    problems.add(name + ": bind mount source " + source + " does not exist");
                }
                mounts.put(target, host);
            } else if (!source.startsWith("/") && !compose.path("volumes").has(source)) {
                problems.add(name + ": named volume " + source + " is not declared under volumes:");
            }
        }
        List<String> entrypoint = words(s.path("entrypoint"));
        List<String> command = words(s.path("command"));
        for (String arg : concat(entrypoint, command)) {
            mounts.forEach((target, host) -> {
                if (arg.startsWith(target + "/") && !Files.exists(host.resolve(arg.substring(target.length() + 1)))) {
                    problems.add(name + ": " + arg + " is not in the mounted " + root.relativize(host));
                }
            });
        }
        if (s.has("build")) {
            built(name, s, entrypoint, command);
        }
    }

    private void built(String name, JsonNode s, List<String> entrypoint, List<String> command) {
        JsonNode build = s.get("build");
        Path context = root.resolve(build.isObject() ? build.path("context").asString(".") : build.asString()).normalize();
        Path dockerfile = context.resolve(build.path("dockerfile").asString("Dockerfile")).normalize();
        if (!Files.isRegularFile(dockerfile)) {
            problems.add(name + ": Dockerfile " + root.relativize(dockerfile) + " does not exist");
            return;
        }
        String text = read(dockerfile);
        String file = root.relativize(dockerfile).toString();
        Matcher from = FROM.matcher(text);
        int stages = 0;
        int lastStage = 0;
        while (from.find()) {
            stages++;
            lastStage = from.start();
        }
        if (stages < 2) {
            problems.add(file + ": not multi-stage (build in one stage, run in another)");
        }
        Matcher user = USER.matcher(text.substring(lastStage));
        String runAs = null;
        while (user.find()) {
            runAs = user.group(1);
        }
        boolean runsAsRoot = runAs == null || runAs.equals("root") || runAs.startsWith("0:") || runAs.equals("0");
        if (runsAsRoot && !strings(s.path("cap_drop")).contains("ALL")) {
            problems.add(name + ": its image runs as root, so the service must cap_drop: [ALL] and add back what it needs");
        }
        List<String> imageEntrypoint = dockerEntrypoint(text);
        if (imageEntrypoint == null) {
            problems.add(file + ": no ENTRYPOINT [\"java\", ...] in exec form");
            return;
        }
        List<String> effective = entrypoint.isEmpty() ? imageEntrypoint : entrypoint;
        PicocliOptions options = options(effective);
        if (options == null) {
            problems.add(name + ": cannot tell which app " + effective + " runs");
            return;
        }
        String main = effective.get(effective.size() - 1);
        for (String arg : command) {
            String option = arg.split("=", 2)[0];
            boolean looksLikeOption = option.startsWith("--") || option.matches("-[A-Za-z]");
            if (looksLikeOption && !options.flags().contains(option)) {
                problems.add(name + ": " + option + " is not an option of " + main + " " + options.flags());
            }
        }
        JsonNode env = s.path("environment");
        for (String key : env.isArray() ? strings(env).stream().map(e -> e.split("=", 2)[0]).toList()
                : new ArrayList<>(env.propertyNames())) {
            if (!key.equals(JVM_ENVIRONMENT) && !options.environment().contains(key)) {
                problems.add(name + ": environment " + key + " names no option " + main + " reads"
                        + (options.app() == null ? " (it reads no environment; pass flags in command)"
                        : " (" + PicocliOptions.ENV_PREFIX + "[" + options.app().toUpperCase(Locale.ROOT)
                        + "_]<OPTION>)"));
            }
        }
        if (entrypoint.isEmpty()) {
            App app = app(imageEntrypoint);
            List<String> jvm = imageEntrypoint.subList(1, imageEntrypoint.indexOf("-jar"));
            List<String> expected = scriptJvmFlags(script, app.scriptFunction());
            if (!jvm.equals(expected)) {
                problems.add(file + ": JVM flags " + jvm + " differ from ./headerlog's " + app.scriptFunction() + " " + expected);
            }
        }
    }

    /** The options of the app an entrypoint runs: a project jar's picocli command, or InitTopicsAndSchemas's. */
    private PicocliOptions options(List<String> entrypoint) {
        if (entrypoint.contains(InitTopicsAndSchemas.class.getName())) {
            return PicocliOptions.fromSource(read(root.resolve(INIT_SOURCE)));
        }
        App app = app(entrypoint);
        return app == null ? null : PicocliOptions.fromSource(read(root.resolve(app.commandSource())));
    }

    private static App app(List<String> entrypoint) {
        int jar = entrypoint.indexOf("-jar");
        if (jar < 0 || jar + 1 >= entrypoint.size() || !entrypoint.get(0).equals("java")) {
            return null;
        }
        String jarName = Path.of(entrypoint.get(jar + 1)).getFileName().toString();
        return APPS.stream().filter(a -> a.jar().equals(jarName)).findFirst().orElse(null);
    }

    /** The exec-form ENTRYPOINT of a Dockerfile's last stage, or null. */
    static List<String> dockerEntrypoint(String dockerfile) {
        Matcher m = ENTRYPOINT.matcher(dockerfile);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last == null ? null : strings(JsonMapper.shared().readTree(last));
    }

    /**
     * The JVM flags a function of the headerlog script passes to java before -jar, with its
     * variables expanded (NAME="..." assignments); $JAVA_OPTS is the user's own (JAVA_TOOL_OPTIONS
     * in a container).
     */
    static List<String> scriptJvmFlags(String script, String function) {
        Matcher body = Pattern.compile("^" + Pattern.quote(function) + "\\(\\)\\s*\\{(.*)}\\s*$", Pattern.MULTILINE)
                .matcher(script);
        if (!body.find()) {
            throw new IllegalStateException("no " + function + "() { ... } line in the headerlog script");
        }
        Map<String, String> variables = new LinkedHashMap<>();
        Matcher assignment = Pattern.compile("^([A-Z_]+)=\"([^\"$]*)\"\\s*$", Pattern.MULTILINE).matcher(script);
        while (assignment.find()) {
            variables.put(assignment.group(1), assignment.group(2));
        }
        List<String> words = List.of(body.group(1).trim().split("\\s+"));
        List<String> flags = new ArrayList<>();
        for (String w : words.subList(words.indexOf("java") + 1, words.indexOf("-jar"))) {
            if (w.equals("$JAVA_OPTS")) {
                continue;
            }
            if (w.startsWith("$")) {
                String value = variables.get(w.substring(1));
                if (value == null) {
                    throw new IllegalStateException(function + " uses " + w + ", which has no NAME=\"...\" assignment");
                }
                flags.addAll(List.of(value.trim().split("\\s+")));
            } else {
                flags.add(w);
            }
        }
        return flags;
    }

    /** A Compose command/entrypoint: a list, or a string split on blanks (as Compose does without quotes). */
    private static List<String> words(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        return node.isArray() ? strings(node) : List.of(node.asString().trim().split("\\s+"));
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
