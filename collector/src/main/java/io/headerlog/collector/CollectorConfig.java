package io.headerlog.collector;

import io.headerlog.collector.bpf.EventLayout;
import io.headerlog.collector.bpf.FilterRules;
import io.headerlog.collector.policy.HeaderPolicyConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one collector run needs, validated at construction so a bad flag fails before anything
 * is loaded into the kernel.
 *
 * @param hostId           id written into every record (default: the host name)
 * @param interfaces       interface names to capture on; empty = every interface that is up and not
 *                         loopback, in the capture namespace
 * @param netns            network namespace (name under /var/run/netns) to attach in, or empty for
 *                         the collector's own; Kafka is always reached from the collector's own
 * @param directions       which TCX hooks to attach
 * @param snapLen          payload prefix bytes the kernel copies per packet
 * @param l7SnapLen        payload bytes copied for packets that start (or follow) an HTTP, TLS or DNS message
 * @param l7FollowBytes    how many more bytes of such a TCP stream are copied with l7SnapLen
 * @param ringBytes        ring buffer size (a power of two)
 * @param sink             where records go
 * @param bootstrapServers Kafka bootstrap servers (kafka sink)
 * @param registryUrl      Confluent-API schema registry (kafka sink)
 * @param topic            topic for PacketHeader records
 * @param duration         stop after this long; zero = until interrupted
 * @param maxPackets       stop after this many records; 0 = no limit
 * @param statsInterval    how often kernel counters are read and CollectorStats published
 * @param pollInterval     how long the reader sleeps when the kernel has not woken it (it wakes it
 *                         once a quarter of the ring is full): the longest a record of a trickle
 *                         waits in the ring, and what sets the collector's wakeups per second at low
 *                         rates
 * @param clockSkew        test-only shift of the wall-clock conversion (namespaces share one clock)
 * @param headerPolicy     which HTTP headers are published, and how secrets are replaced
 * @param sampling         consistent sampling in the kernel
 * @param filters          kernel filter rules from the command line
 * @param filterFile       a JSON file of further rules, re-read when it changes while running
 * @param flows            exact flow counters in the kernel
 * @param metricsListen    where the Prometheus endpoint listens; empty = no endpoint
 * @param cpuPriority      whether user space runs at idle priority while it keeps up ({@link AdaptivePriority})
 */
public record CollectorConfig(
        String hostId,
        List<String> interfaces,
        Optional<String> netns,
        Directions directions,
        int snapLen,
        int l7SnapLen,
        int l7FollowBytes,
        int ringBytes,
        SinkKind sink,
        String bootstrapServers,
        String registryUrl,
        String topic,
        Duration duration,
        long maxPackets,
        Duration statsInterval,
        Duration pollInterval,
        Duration clockSkew,
        HeaderPolicyConfig headerPolicy,
        SamplingConfig sampling,
        FilterRules filters,
        Optional<Path> filterFile,
        FlowConfig flows,
        Optional<io.headerlog.metrics.ListenAddress> metricsListen,
        CpuPriorityMode cpuPriority) {

    public static final int MIN_RING_BYTES = 64 * 1024;
    /** The reader maps the ring's data twice and views it as one ByteBuffer (an int capacity). */
    public static final int MAX_RING_BYTES = io.headerlog.collector.bpf.CaptureConfig.MAX_RING_BYTES;

    /** Which hooks of each interface to attach. */
    public enum Directions {
        BOTH, INGRESS, EGRESS;

        public boolean ingress() {
            return this != EGRESS;
        }

        public boolean egress() {
            return this != INGRESS;
        }
    }

    /** Record destinations. */
    public enum SinkKind { KAFKA, STDOUT }

    /** ADAPTIVE: idle priority while keeping up, normal while records back up; NORMAL: as started. */
    public enum CpuPriorityMode { ADAPTIVE, NORMAL }

    public CollectorConfig {
        Objects.requireNonNull(hostId, "hostId");
        interfaces = List.copyOf(Objects.requireNonNull(interfaces, "interfaces"));
        Objects.requireNonNull(netns, "netns");
        Objects.requireNonNull(directions, "directions");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(registryUrl, "registryUrl");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(statsInterval, "statsInterval");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.toMillis() < 1 || pollInterval.toMillis() > 1000) {
            throw new IllegalArgumentException("--poll-interval must be 1..1000 ms, got " + pollInterval.toMillis());
        }
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(headerPolicy, "headerPolicy");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(filters, "filters");
        Objects.requireNonNull(filterFile, "filterFile");
        Objects.requireNonNull(flows, "flows");
        Objects.requireNonNull(metricsListen, "metricsListen");
        Objects.requireNonNull(cpuPriority, "cpuPriority");
        if (hostId.isBlank()) {
            throw new IllegalArgumentException("--host-id must not be blank");
        }
        for (String name : interfaces) {
            if (name.isBlank() || name.length() > 15 || name.contains("/")) {
                throw new IllegalArgumentException("'" + name + "' is not an interface name (1-15 characters, no '/')");
            }
        }
        netns.ifPresent(ns -> {
            if (ns.isBlank() || ns.contains("/") && !ns.startsWith("/")) {
                throw new IllegalArgumentException("--netns takes a name under /var/run/netns or an absolute path, got '" + ns + "'");
            }
        });
        if (snapLen < 0 || snapLen > EventLayout.SNAP_MAX) {
            throw new IllegalArgumentException("--snaplen must be 0.." + EventLayout.SNAP_MAX + " payload bytes, got " + snapLen);
        }
        if (l7SnapLen < 0 || l7SnapLen > EventLayout.SNAP_MAX) {
            throw new IllegalArgumentException("--l7-snaplen must be 0.." + EventLayout.SNAP_MAX + " payload bytes, got " + l7SnapLen);
        }
        if (l7FollowBytes < 0 || l7FollowBytes > io.headerlog.collector.bpf.CaptureConfig.MAX_L7_FOLLOW_BYTES) {
            throw new IllegalArgumentException("--l7-follow-bytes must be 0.."
                    + io.headerlog.collector.bpf.CaptureConfig.MAX_L7_FOLLOW_BYTES + ", got " + l7FollowBytes);
        }
        if (ringBytes < MIN_RING_BYTES || ringBytes > MAX_RING_BYTES || Integer.bitCount(ringBytes) != 1) {
            throw new IllegalArgumentException("--ring-size must be a power of two between 64 KiB and "
                    + (MAX_RING_BYTES >> 20) + " MiB, got " + ringBytes + " bytes");
        }
        if (sink == SinkKind.KAFKA && bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("--bootstrap-servers must not be blank with --sink kafka");
        }
        if (sink == SinkKind.KAFKA && !(registryUrl.startsWith("http://") || registryUrl.startsWith("https://"))) {
            throw new IllegalArgumentException("--registry-url must be an http(s) URL, got '" + registryUrl + "'");
        }
        if (topic.isBlank()) {
            throw new IllegalArgumentException("--topic must not be blank");
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("--duration must not be negative");
        }
        if (maxPackets < 0) {
            throw new IllegalArgumentException("--count must not be negative");
        }
        if (statsInterval.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("--stats-interval must be at least 100 ms, got " + statsInterval);
        }
    }
}
