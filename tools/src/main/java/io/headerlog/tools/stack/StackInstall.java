package io.headerlog.tools.stack;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where the stack's programs are: the Kafka jars (tools/target/lib, copied at package) and the
 * unpacked Apicurio registry (tools/target/apicurio).
 *
 * @param kafkaLibDir directory whose jars are the broker's class path
 * @param apicurioJar Apicurio's Quarkus runner jar
 */
public record StackInstall(Path kafkaLibDir, Path apicurioJar) {

    /** Overrides the search: a directory with lib/ and apicurio/ like tools/target. */
    public static final String HOME_PROPERTY = "headerlog.stack.home";
    static final String APICURIO_JAR = "apicurio-registry-app-3.0.9-runner.jar";

    public StackInstall {
        Objects.requireNonNull(kafkaLibDir, "kafkaLibDir");
        Objects.requireNonNull(apicurioJar, "apicurioJar");
        if (!isKafkaLib(kafkaLibDir)) {
            throw new IllegalArgumentException(kafkaLibDir + " does not contain the kafka_2.13 jars");
        }
        if (!Files.isRegularFile(apicurioJar)) {
            throw new IllegalArgumentException(apicurioJar + " does not exist");
        }
    }

    /** An install in {@code home} (lib/ and apicurio/), if complete. */
    public static java.util.Optional<StackInstall> in(Path home) {
        Path lib = home.resolve("lib");
        Path jar = home.resolve("apicurio").resolve(APICURIO_JAR);
        if (isKafkaLib(lib) && Files.isRegularFile(jar)) {
            return java.util.Optional.of(new StackInstall(lib, jar));
        }
        return java.util.Optional.empty();
    }

    /**
     * Finds the install: -Dheaderlog.stack.home, next to the running tools jar or classes, the repo
     * root that Maven passes to integration tests (headerlog.repo.root), or tools/target above the
     * working directory.
     */
    public static StackInstall locate() {
        List<Path> candidates = new ArrayList<>();
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            candidates.add(Path.of(home));
        }
        codeLocation().ifPresent(location -> candidates.add(location.getParent()));
        String repoRoot = System.getProperty("headerlog.repo.root");
        if (repoRoot != null && !repoRoot.isBlank()) {
            candidates.add(Path.of(repoRoot, "tools", "target"));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            candidates.add(dir.resolve("tools").resolve("target"));
            candidates.add(dir.resolve("target"));
        }
        for (Path candidate : candidates) {
            var install = in(candidate);
            if (install.isPresent()) {
                return install.get();
            }
        }
        throw new StackException("Cannot find the Kafka jars and Apicurio for the local stack (looked for lib/ and apicurio/"
                + APICURIO_JAR + " in " + candidates.stream().distinct().limit(6).toList() + "). Build them with"
                + " `mvn -pl schemas,tools package -DskipTests` in the repository, or set -D" + HOME_PROPERTY
                + "=<directory with lib/ and apicurio/>.");
    }

    /** The broker's -cp argument. */
    String kafkaClassPath() {
        return kafkaLibDir.resolve("*").toString();
    }

    private static boolean isKafkaLib(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("kafka_2.13-"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static java.util.Optional<Path> codeLocation() {
        try {
            CodeSource source = StackInstall.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}
