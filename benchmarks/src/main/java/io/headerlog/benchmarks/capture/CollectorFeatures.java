package io.headerlog.benchmarks.capture;

import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the collector jar under test supports, from its {@code --help}: whether it samples
 * ({@code --sample-rate N}) and at which default rate. Lets the benchmark run against collectors
 * built before and after sampling existed.
 */
record CollectorFeatures(boolean sampleRateFlag, OptionalInt defaultSampleRate) {
    /**
     * The option's help entry (not the usage synopsis): a line that starts with the option, plus the
     * deeper-indented lines that continue its description.
     */
    private static final Pattern SAMPLE_RATE_ENTRY = Pattern.compile(
            "(?m)^[ \\t]+(?:-[A-Za-z], )?--sample-rate\\b[^\\n]*(?:\\n {8,}[^\\n]*)*");
    private static final Pattern DEFAULT = Pattern.compile("Default:\\s*(\\d+)");

    static CollectorFeatures probe(Path collectorJar) {
        Commands.Result r = Commands.run(Duration.ofSeconds(60),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", collectorJar.toString(), "--help");
        if (!r.ok()) {
            throw new IllegalStateException("`java -jar " + collectorJar + " --help` failed (exit " + r.exitCode() + "): "
                    + r.stderr().strip() + "; rebuild the collector jar");
        }
        return parseHelp(r.stdout() + "\n" + r.stderr());
    }

    static CollectorFeatures parseHelp(String help) {
        Matcher entry = SAMPLE_RATE_ENTRY.matcher(help);
        if (!entry.find()) {
            return new CollectorFeatures(false, OptionalInt.empty());
        }
        Matcher d = DEFAULT.matcher(entry.group());
        return new CollectorFeatures(true, d.find() ? OptionalInt.of(Integer.parseInt(d.group(1))) : OptionalInt.empty());
    }
}
