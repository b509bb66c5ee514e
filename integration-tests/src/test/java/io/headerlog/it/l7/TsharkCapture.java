package io.headerlog.it.l7;

import io.headerlog.testing.Exec;
import io.headerlog.testing.ExecResult;
import io.headerlog.testing.Host;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The oracle: tshark captures on a test host's interface while the traffic runs, and afterwards
 * dissects the file independently of headerlog ({@code -T fields}), with TCP reassembly on so an
 * HTTP header block spread over segments is one message, as headerlog reassembles it.
 */
final class TsharkCapture implements AutoCloseable {
    /** Between occurrences of one field; header values may contain commas, never this. */
    private static final String AGGREGATOR = "\u001e";
    private static final Duration READY = Duration.ofSeconds(30);

    /** The discard port: nothing listens there, the marker datagram is only for the capture. */
    private static final int MARKER_PORT = 9;

    private final Host host;
    private final InetAddress peer;
    private final Path file;
    private final NamespaceProcess process;
    private boolean stopped;
    /** Source port of the newest marker datagram sent. */
    private int markerPort;

    private TsharkCapture(Host host, InetAddress peer, Path file, NamespaceProcess process) {
        this.host = host;
        this.peer = peer;
        this.file = file;
        this.process = process;
    }

    /**
     * Starts capturing on {@code ifName} of {@code host} into {@code file}; returns once packets are
     * being captured. {@code peer} is an address across that interface, for the end marker.
     */
    static TsharkCapture start(Host host, String ifName, InetAddress peer, Path file) throws InterruptedException {
        // -P -l: a summary line per packet as soon as it is in the file (how stop() knows it has all).
        // -d: the marker's line must read "port → 9" whatever its ephemeral source port; from 44818,
        // say, tshark would print it as EtherNet/IP, and the marker would never be seen
        NamespaceProcess p = NamespaceProcess.start(host, "tshark on " + ifName,
                List.of("tshark", "-n", "-l", "-P", "-d", "udp.port==" + MARKER_PORT + ",data", "-i", ifName,
                        "-w", file.toString()));
        TsharkCapture capture = new TsharkCapture(host, peer, file, p);
        try {
            // the first marker in the file proves the capture runs (and tshark is past its start-up,
            // where a SIGTERM can get lost)
            capture.awaitMarker();
            return capture;
        } catch (AssertionError | RuntimeException e) {
            capture.close();
            throw e;
        }
    }

    /**
     * Ends the capture once everything sent before this call is in the file, and closes the file.
     * Idempotent. A capture hands packets over in blocks with a timeout, so stopping right after
     * the traffic would lose its tail: a marker datagram is sent across the interface and the
     * capture is stopped only after tshark has written it.
     */
    void stop() throws InterruptedException {
        if (stopped) {
            return;
        }
        stopped = true;
        AssertionError notPrinted = null;
        try {
            awaitMarker();
        } catch (AssertionError e) {
            // tshark sometimes stops printing its per-packet lines while it keeps writing the file;
            // the file, not the printout, is what must hold the marker
            notPrinted = e;
        }
        process.stop(Duration.ofSeconds(20));
        if (notPrinted != null && !fileHoldsMarker()) {
            throw notPrinted;
        }
        if (!Files.isRegularFile(file)) {
            throw new AssertionError("tshark left no capture file " + file + "; its output:\n"
                    + String.join("\n", process.output()));
        }
    }

    /** Sends a datagram across the interface until tshark reports it captured. */
    private void awaitMarker() throws InterruptedException {
        try (DatagramSocket marker = host.call(() -> new DatagramSocket(new InetSocketAddress(
                peer instanceof Inet6Address ? host.ipv6() : host.ipv4(), 0)))) {
            byte[] text = "headerlog-capture-marker".getBytes(StandardCharsets.US_ASCII);
            markerPort = marker.getLocalPort();
            String ports = markerPort + " ";
            long deadline = System.nanoTime() + READY.toNanos();
            while (true) {
                marker.send(new DatagramPacket(text, text.length, new InetSocketAddress(peer, MARKER_PORT)));
                try {
                    process.awaitLine(l -> l.contains(ports + "\u2192 " + MARKER_PORT + " ")
                            || l.contains(ports + "-> " + MARKER_PORT + " "), Duration.ofSeconds(2));
                    return;
                } catch (AssertionError e) {
                    if (System.nanoTime() > deadline || !process.isAlive()) {
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send a capture marker to " + peer.getHostAddress(), e);
        }
    }

    /** Whether the (closed) capture file holds the newest end marker, i.e. everything sent before it. */
    private boolean fileHoldsMarker() throws InterruptedException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        ExecResult r = Exec.run(Duration.ofSeconds(60), List.of("tshark", "-n", "-r", file.toString(), "-Y",
                "udp.srcport == " + markerPort + " && udp.dstport == " + MARKER_PORT, "-T", "fields", "-e", "frame.number"));
        return r.exitCode() == 0 && !r.stdout().isBlank();
    }

    /**
     * Dissects the capture: one row per frame that matches {@code displayFilter}, with the given
     * fields. {@code options} are extra tshark arguments (e.g. {@code -d tcp.port==8443,tls}).
     */
    List<TsharkRow> read(String displayFilter, List<String> options, List<String> fields) throws InterruptedException {
        stop();
        List<String> cmd = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(),
                "-o", "tcp.desegment_tcp_streams:TRUE",
                // only the header block is reassembled, so tcp.segment.count counts its segments
                "-o", "http.desegment_headers:TRUE", "-o", "http.desegment_body:FALSE"));
        cmd.addAll(options);
        cmd.addAll(List.of("-Y", displayFilter, "-T", "fields", "-E", "header=n", "-E", "separator=/t",
                "-E", "occurrence=a", "-E", "aggregator=" + AGGREGATOR, "-E", "quote=n"));
        List<String> all = new ArrayList<>(List.of("frame.number"));
        all.addAll(fields);
        for (String f : all) {
            cmd.add("-e");
            cmd.add(f);
        }
        ExecResult r = Exec.run(Duration.ofSeconds(60), cmd).orThrow();
        List<TsharkRow> rows = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split("\t", -1);
            if (cells.length != all.size()) {
                throw new AssertionError("tshark printed " + cells.length + " fields, asked for " + all.size()
                        + ": " + line);
            }
            Map<String, List<String>> values = new LinkedHashMap<>();
            for (int i = 0; i < cells.length; i++) {
                values.put(all.get(i), cells[i].isEmpty() ? List.of() : List.of(cells[i].split(AGGREGATOR, -1)));
            }
            rows.add(new TsharkRow(values));
        }
        return rows;
    }

    /** Undoes tshark's escaping of string fields (CR, LF, tab, backslash, quote). */
    static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                out.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'r' -> out.append('\r');
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case '\\' -> out.append('\\');
                case '"' -> out.append('"');
                default -> out.append('\\').append(n);
            }
        }
        return out.toString();
    }

    Path file() {
        return file;
    }

    @Override
    public void close() {
        process.close();
    }
}
