package io.headerlog.collector.cli;

import io.headerlog.collector.Collector;
import io.headerlog.collector.CollectorConfig;
import io.headerlog.collector.CollectorConfig.Directions;
import io.headerlog.collector.CollectorConfig.SinkKind;
import io.headerlog.topics.Topics;
import io.headerlog.collector.policy.HeaderPolicyConfig;
import io.headerlog.collector.policy.HeaderPolicyOverrides;
import io.headerlog.collector.policy.SecretAction;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./headerlog collect}: capture on interfaces and publish PacketHeader records. */
@Command(name = "collect", mixinStandardHelpOptions = true, sortOptions = false,
        versionProvider = CollectCommand.Version.class,
        description = {
            "Captures the header elements of every packet on the given interfaces with eBPF (TCX ingress "
                + "and egress) and publishes them as PacketHeader records: Avro to Kafka, or JSON lines "
                + "to stdout. Needs root (or CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON)."},
        footer = {"", "Examples:",
            "  like tcpdump -c 10, as JSON lines:",
            "    ./headerlog collect -i eth0 --sink stdout -c 10",
            "  inside a network namespace:",
            "    ip netns exec NS ./headerlog collect -i veth0 --sink stdout",
            "  attach in NS, publish to Kafka from here:",
            "    ./headerlog collect --netns NS -i veth0 --host-id host-b"})
public final class CollectCommand implements Callable<Integer> {

    @Option(names = {"-i", "--interface"}, paramLabel = "IF",
            description = "Interface to capture on; repeatable. Default: every interface that is up and not loopback.")
    List<String> interfaces = new ArrayList<>();

    @Option(names = {"-s", "--snaplen"}, paramLabel = "BYTES", defaultValue = "512",
            description = "Payload bytes copied per packet for decoding (0..8192). Default: ${DEFAULT-VALUE}.")
    int snapLen;

    // 8192, the kernel's largest copy: veth and GSO hand a whole multi-segment header block over
    // as one skb, and an 8 KB block is still logged whole (measured: 4.5 KB cut at 4096)
    @Option(names = "--l7-snaplen", paramLabel = "BYTES", defaultValue = "8192",
            description = "Payload bytes copied for packets that start an HTTP, TLS or DNS message, and for the"
                    + " segments that follow such a TCP start (0..8192). Default: ${DEFAULT-VALUE}.")
    int l7SnapLen;

    @Option(names = "--l7-follow-bytes", paramLabel = "BYTES", defaultValue = "16384",
            description = "After an HTTP or TLS start, how many more bytes of that TCP stream are copied with"
                    + " --l7-snaplen, so header blocks spread over several segments can be reassembled."
                    + " Default: ${DEFAULT-VALUE}.")
    int l7FollowBytes;

    @Option(names = "--sink", paramLabel = "stdout|kafka", defaultValue = "kafka",
            description = "Where records go. Default: ${DEFAULT-VALUE}.")
    String sink;

    @Option(names = {"-b", "--bootstrap-servers"}, defaultValue = "127.0.0.1:9092", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers. Default: ${DEFAULT-VALUE}.")
    String bootstrapServers;

    @Option(names = {"-r", "--registry-url"}, defaultValue = "http://127.0.0.1:8081", paramLabel = "URL",
            description = "Confluent-API schema registry. Default: ${DEFAULT-VALUE}.")
    String registryUrl;

    @Option(names = "--topic", defaultValue = Topics.HEADERS_RAW, paramLabel = "TOPIC", description = "Topic for records. Default: ${DEFAULT-VALUE}.")
    String topic;

    @Option(names = "--host-id", paramLabel = "ID", description = "Host id written into every record. Default: this host's name.")
    String hostId;

    @Option(names = "--netns", paramLabel = "NS",
            description = "Attach to interfaces of network namespace NS (a name under /var/run/netns, or a path); Kafka is still reached from the collector's own namespace.")
    String netns;

    @Option(names = {"-Q", "--direction"}, paramLabel = "in|out|inout", defaultValue = "inout",
            description = "Which direction to capture (tcpdump's -Q). Default: ${DEFAULT-VALUE}.")
    String direction;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
            description = "Stop after this many seconds; 0 = until Ctrl-C.")
    long durationSeconds;

    @Option(names = {"-c", "--count"}, paramLabel = "N", defaultValue = "0",
            description = "Stop after N records (tcpdump's -c); 0 = no limit.")
    long count;

    @Option(names = "--ring-size", paramLabel = "MiB", defaultValue = "16",
            description = "Ring buffer size in MiB (a power of two). Default: ${DEFAULT-VALUE}.")
    int ringMiB;

    @Option(names = "--stats-interval", paramLabel = "SECONDS", defaultValue = "5",
            description = "How often counters are read and published to collector.stats. Default: ${DEFAULT-VALUE}.")
    double statsIntervalSeconds;

    @Option(names = "--header-policy", paramLabel = "FILE",
            description = "JSON header policy: allow or deny (header names), secretHeaders, secretAction,"
                    + " maxHeaders, maxHeaderValue, hmacKeyFile. Flags below extend or override it.")
    Path headerPolicyFile;

    @Option(names = "--header-allow", paramLabel = "NAME",
            description = "Publish only these HTTP headers (repeatable; makes the policy an allow list).")
    List<String> headerAllow = new ArrayList<>();

    @Option(names = "--header-deny", paramLabel = "NAME",
            description = "Never publish these HTTP headers (repeatable).")
    List<String> headerDeny = new ArrayList<>();

    @Option(names = "--secret-header", paramLabel = "NAME",
            description = "Treat this header's value as a secret, like Authorization, Proxy-Authorization,"
                    + " Cookie and Set-Cookie always are (repeatable).")
    List<String> secretHeaders = new ArrayList<>();

    @Option(names = "--secret-action", paramLabel = "hmac|redact|drop",
            description = "What replaces a secret value: hmac (a keyed token; equal values stay joinable,"
                    + " the default), redact (a fixed marker) or drop (leave the header out).")
    String secretAction;

    @Option(names = "--hmac-key-file", paramLabel = "FILE",
            description = "Key for hmac tokens (hex or >= 16 raw bytes). Default: /var/lib/headerlog/hmac.key,"
                    + " created on first use; give every host the same file to join tokens across hosts.")
    Path hmacKeyFile;

    @Option(names = "--max-headers", paramLabel = "N", description = "Most HTTP headers published per message. Default: 64.")
    Integer maxHeaders;

    @Option(names = "--max-header-value", paramLabel = "CHARS",
            description = "Longer header values are cut to this length. Default: 1024.")
    Integer maxHeaderValue;

    @Option(names = "--clock-skew", paramLabel = "DURATION", defaultValue = "0ms",
            description = "TEST ONLY: shift this collector's wall clock (e.g. 37ms, -2ms) so the streams app has a skew to estimate.")
    String clockSkew;

    @Override
    public Integer call() {
        CollectorConfig config;
        try {
            config = toConfig();
        } catch (IllegalArgumentException e) {
            System.err.println("headerlog: error: " + e.getMessage());
            return 2;
        }
        return Collector.runUntilDone(config, System.out, System.err);
    }

    CollectorConfig toConfig() {
        return new CollectorConfig(
                hostId != null ? hostId : localHostName(),
                interfaces,
                Optional.ofNullable(netns),
                directions(direction),
                snapLen,
                l7SnapLen,
                l7FollowBytes,
                ringMiB > 0 && ringMiB <= CollectorConfig.MAX_RING_BYTES >> 20 ? ringMiB << 20 : -1,
                sinkKind(sink),
                bootstrapServers,
                registryUrl,
                topic,
                Duration.ofSeconds(durationSeconds),
                count,
                Duration.ofMillis((long) (statsIntervalSeconds * 1000)),
                parseDuration(clockSkew),
                HeaderPolicyConfig.resolve(headerPolicyFile, new HeaderPolicyOverrides(headerAllow, headerDeny,
                        secretHeaders, secretAction == null ? null : SecretAction.parse(secretAction, "--secret-action"),
                        maxHeaders, maxHeaderValue, hmacKeyFile)));
    }

    static Directions directions(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "in": case "ingress": return Directions.INGRESS;
            case "out": case "egress": return Directions.EGRESS;
            case "inout": case "both": return Directions.BOTH;
            default: throw new IllegalArgumentException("--direction takes in, out or inout, got '" + value + "'");
        }
    }

    static SinkKind sinkKind(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "kafka": return SinkKind.KAFKA;
            case "stdout": return SinkKind.STDOUT;
            default: throw new IllegalArgumentException("--sink takes stdout or kafka, got '" + value + "'");
        }
    }

    /** "37ms", "-2ms", "1.5s", "250us", "100ns" → Duration. */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        String[][] units = {{"ns", "1"}, {"us", "1000"}, {"ms", "1000000"}, {"s", "1000000000"}};
        for (int i = 0; i < units.length; i++) {
            String unit = units[i][0];
            // "ms" must not be read as "s": only accept "s" when no longer unit matched
            if (t.endsWith(unit) && !(unit.equals("s") && (t.endsWith("ms") || t.endsWith("us") || t.endsWith("ns")))) {
                try {
                    double v = Double.parseDouble(t.substring(0, t.length() - unit.length()));
                    return Duration.ofNanos(Math.round(v * Long.parseLong(units[i][1])));
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration like 37ms, -2ms, 1.5s, 250us");
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            String env = System.getenv("HOSTNAME");
            return env != null && !env.isBlank() ? env : "localhost";
        }
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = CollectCommand.class.getPackage().getImplementationVersion();
            return new String[] {"headerlog collect " + (v != null ? v : "(development build)")};
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new CollectCommand()).execute(args));
    }
}
