package io.headerlog.collector.cli;

import io.headerlog.collector.Collector;
import io.headerlog.collector.CollectorConfig;
import io.headerlog.metrics.ListenAddress;
import io.headerlog.metrics.ListenAddressConverter;
import io.headerlog.config.ConfigDefaults;
import io.headerlog.config.UsageErrors;
import io.headerlog.collector.CollectorConfig.Directions;
import io.headerlog.collector.CollectorConfig.CpuPriorityMode;
import io.headerlog.collector.CollectorConfig.SinkKind;
import io.headerlog.topics.Topics;
import io.headerlog.collector.FlowConfig;
import io.headerlog.collector.SamplingConfig;
import io.headerlog.collector.bpf.FilterRules;
import io.headerlog.collector.policy.HeaderPolicyConfig;
import io.headerlog.collector.policy.HeaderPolicyOverrides;
import io.headerlog.collector.policy.SecretAction;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    @Option(names = ConfigDefaults.CONFIG_OPTION, paramLabel = "FILE",
            description = "Options from a properties file (collect.sample-rate=100, bootstrap-servers=…); flags win, then"
                    + " HEADERLOG_COLLECT_<OPTION> / HEADERLOG_<OPTION> environment variables, then the file."
                    + " Default: $HEADERLOG_CONFIG if set.")
    Path configFile;

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

    @Option(names = "--poll-interval", paramLabel = "MILLIS", defaultValue = "250",
            description = "How long the reader sleeps when the kernel has not woken it (it does once a quarter of the"
                    + " ring is full): bounds how long a trickle of records waits; shorter costs more wakeups."
                    + " Default: ${DEFAULT-VALUE}.")
    long pollMillis;

    @Option(names = "--cpu-priority", paramLabel = "adaptive|normal", defaultValue = "adaptive",
            description = "adaptive: the collector's user space runs at idle priority (SCHED_IDLE: only on CPU time the"
                    + " host's own work leaves) while it keeps up, and at the priority it was started with while records"
                    + " back up in the ring; the kernel side is unaffected. normal: always as started."
                    + " Default: ${DEFAULT-VALUE}.")
    String cpuPriority;

    @Option(names = "--metrics-listen", paramLabel = "[HOST]:PORT", converter = ListenAddressConverter.class,
            description = "Serve Prometheus metrics (the collector.stats counters) at http://HOST:PORT/metrics;"
                    + " PORT or :PORT listens on every interface. Default: no endpoint.")
    ListenAddress metricsListen;

    /**
     * The default rate publishing to Kafka: what a collector on a busy host should cost it. Measured
     * (CaptureBenchmark, iperf3 between two namespaces on 2 cores): 1/100 keeps host TCP throughput at
     * 0.95–0.97 of an unmonitored host, every packet at 0.82–0.86 — while handshakes, FIN/RST and
     * HTTP/DNS/TLS message starts are kept at any rate and flows.raw counts every packet.
     */
    public static final int DEFAULT_KAFKA_SAMPLE_RATE = 100;

    @Option(names = "--sample-rate", paramLabel = "N",
            description = "Keep 1 in N packets, chosen by a hash of header fields every host sees alike (consistent"
                    + " sampling: all hosts keep the same packets); TCP SYN/FIN/RST and HTTP/DNS/TLS message starts"
                    + " are kept at any rate and flows.raw counts every packet. Default: " + DEFAULT_KAFKA_SAMPLE_RATE
                    + " with the Kafka sink, 1 (every packet, like tcpdump) with --sink stdout.")
    Integer sampleRate;

    @Option(names = "--keep-tcp-control", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Keep TCP SYN, FIN and RST whatever the sample rate (default; --no-keep-tcp-control samples them too).")
    boolean keepTcpControl;

    @Option(names = "--keep-l7", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Keep packets that start an HTTP/TLS/DNS message (and their follow segments) whatever the"
                    + " sample rate (default; --no-keep-l7 samples them too).")
    boolean keepL7;

    @Option(names = "--allow-net", paramLabel = "CIDR", description = "Capture only packets from or to these prefixes (repeatable).")
    List<String> allowNets = new ArrayList<>();

    @Option(names = "--deny-net", paramLabel = "CIDR",
            description = "Drop packets from or to these prefixes (repeatable; the longest matching prefix decides).")
    List<String> denyNets = new ArrayList<>();

    @Option(names = "--allow-port", paramLabel = "PORT", description = "Capture only TCP/UDP packets from or to these ports (repeatable).")
    List<Integer> allowPorts = new ArrayList<>();

    @Option(names = "--deny-port", paramLabel = "PORT", description = "Drop TCP/UDP packets from or to these ports (repeatable).")
    List<Integer> denyPorts = new ArrayList<>();

    @Option(names = "--allow-proto", paramLabel = "PROTO", description = "Capture only these IP protocols, names or numbers (repeatable).")
    List<String> allowProtos = new ArrayList<>();

    @Option(names = "--deny-proto", paramLabel = "PROTO", description = "Drop these IP protocols (repeatable).")
    List<String> denyProtos = new ArrayList<>();

    @Option(names = "--filter-file", paramLabel = "FILE",
            description = "JSON filter rules (allowNets, denyNets, allowPorts, denyPorts, allowProtocols, denyProtocols)"
                    + " added to the flags; edit it while the collector runs and the kernel filters follow.")
    Path filterFile;

    @Option(names = "--flow-idle-timeout", paramLabel = "SECONDS", defaultValue = "15",
            description = "Export a flow's exact counters after it is idle this long. Default: ${DEFAULT-VALUE}.")
    long flowIdleSeconds;

    @Option(names = "--flow-active-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Export a long flow's counters this often. Default: ${DEFAULT-VALUE}.")
    long flowActiveSeconds;

    @Option(names = "--flow-entries", paramLabel = "N", defaultValue = "65536",
            description = "Flows the kernel counts at once (0 turns flow counters off). Default: ${DEFAULT-VALUE}.")
    int flowEntries;

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
                Duration.ofMillis(pollMillis),
                parseDuration(clockSkew),
                HeaderPolicyConfig.resolve(headerPolicyFile, new HeaderPolicyOverrides(headerAllow, headerDeny,
                        secretHeaders, secretAction == null ? null : SecretAction.parse(secretAction, "--secret-action"),
                        maxHeaders, maxHeaderValue, hmacKeyFile)),
                new SamplingConfig(sampleRate != null ? sampleRate
                        : sinkKind(sink) == SinkKind.STDOUT ? 1 : DEFAULT_KAFKA_SAMPLE_RATE, keepTcpControl, keepL7),
                new FilterRules(allowNets, denyNets, new HashSet<>(allowPorts), new HashSet<>(denyPorts),
                        protocols(allowProtos), protocols(denyProtos)),
                Optional.ofNullable(filterFile),
                new FlowConfig(flowEntries, Duration.ofSeconds(flowIdleSeconds), Duration.ofSeconds(flowActiveSeconds)),
                Optional.ofNullable(metricsListen),
                cpuPriorityMode(cpuPriority));
    }

    private static Set<Integer> protocols(List<String> names) {
        Set<Integer> out = new HashSet<>();
        names.forEach(n -> out.add(FilterRules.protocolNumber(n)));
        return out;
    }

    static Directions directions(String value) {
        return choice("--direction", "in, out or inout", value, Map.of("in", Directions.INGRESS,
                "ingress", Directions.INGRESS, "out", Directions.EGRESS, "egress", Directions.EGRESS,
                "inout", Directions.BOTH, "both", Directions.BOTH));
    }

    static CpuPriorityMode cpuPriorityMode(String value) {
        return choice("--cpu-priority", "adaptive or normal", value,
                Map.of("adaptive", CpuPriorityMode.ADAPTIVE, "normal", CpuPriorityMode.NORMAL));
    }

    static SinkKind sinkKind(String value) {
        return choice("--sink", "stdout or kafka", value, Map.of("kafka", SinkKind.KAFKA, "stdout", SinkKind.STDOUT));
    }

    /** The value {@code names} gives the (case-insensitive) text of {@code option}; {@code takes} lists them. */
    private static <T> T choice(String option, String takes, String value, Map<String, T> names) {
        T chosen = names.get(value.toLowerCase(Locale.ROOT));
        if (chosen == null) {
            throw new IllegalArgumentException(option + " takes " + takes + ", got '" + value + "'");
        }
        return chosen;
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

    /** The command line main runs: a line it cannot parse is reported like the collector's other errors. */
    public static CommandLine commandLine() {
        return UsageErrors.install(new CommandLine(new CollectCommand()), "headerlog: error: ", "headerlog collect");
    }

    public static void main(String[] args) {
        CommandLine cl = commandLine();
        try {
            ConfigDefaults.install(cl, "collect", args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("headerlog: error: " + e.getMessage());
            System.exit(2);
        }
        System.exit(cl.execute(args));
    }
}
