package io.headerlog.collector.pipeline;

import io.headerlog.collector.CollectorConfig;
import io.headerlog.collector.SamplingConfig;
import io.headerlog.collector.bpf.FilterRules;
import io.headerlog.collector.bpf.CaptureConfig;
import io.headerlog.collector.bpf.CaptureProgram;
import io.headerlog.collector.bpf.Direction;
import io.headerlog.collector.bpf.Interfaces;
import io.headerlog.collector.bpf.NetInterface;
import io.headerlog.collector.bpf.NetNs;
import io.headerlog.collector.bpf.TcxLink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kernel side of one collector: the loaded capture program and its TCX links, opened in the
 * libbpf-bootstrap order (open → set knobs → load → attach) and closed in reverse.
 *
 * <p>Interfaces are resolved and links created on a thread inside the capture namespace (network
 * namespaces are per thread), so the rest of the collector — Kafka, the registry — keeps its own.
 */
public final class CaptureSession implements AutoCloseable {
    private final CaptureProgram program;
    private final List<NetInterface> interfaces;
    private final List<TcxLink> links;
    private final Map<Integer, String> namesByIndex;

    private CaptureSession(CaptureProgram program, List<NetInterface> interfaces, List<TcxLink> links) {
        this.program = program;
        this.interfaces = List.copyOf(interfaces);
        this.links = links;
        Map<Integer, String> names = new HashMap<>();
        interfaces.forEach(i -> names.put(i.index(), i.name()));
        this.namesByIndex = Collections.unmodifiableMap(names);
    }

    /**
     * Resolves the interfaces, loads the program, sets the filter rules and attaches it; nothing stays
     * behind on failure. The filters are in place before the first packet arrives.
     */
    public static CaptureSession open(CollectorConfig config, FilterRules filters) {
        CaptureConfig defaults = CaptureConfig.defaults().withRingBytes(config.ringBytes());
        SamplingConfig sampling = config.sampling();
        CaptureConfig knobs = new CaptureConfig(config.snapLen(), defaults.ringBytes(), defaults.wakeupBytes(),
                config.l7SnapLen(), config.l7FollowBytes(), sampling.rate(), sampling.keepTcpControl(),
                sampling.keepL7(), config.flows().entries());
        // resolve first: a typo in -i should fail before anything is loaded into the kernel
        List<NetInterface> targets = inNamespace(config.netns(), () -> resolve(config.interfaces()));
        CaptureProgram program = CaptureProgram.load(knobs);
        List<TcxLink> links = new ArrayList<>();
        try {
            program.filters().replaceWith(filters);
            inNamespace(config.netns(), () -> {
                for (NetInterface target : targets) {
                    if (config.directions().ingress()) {
                        links.add(program.attach(target.index(), Direction.INGRESS));
                    }
                    if (config.directions().egress()) {
                        links.add(program.attach(target.index(), Direction.EGRESS));
                    }
                }
                return null;
            });
            return new CaptureSession(program, targets, links);
        } catch (RuntimeException e) {
            closeAll(links, program);
            throw e;
        }
    }

    private static List<NetInterface> resolve(List<String> names) {
        if (names.isEmpty()) {
            List<NetInterface> up = Interfaces.upNonLoopback();
            if (up.isEmpty()) {
                throw new IllegalStateException("no interface is up apart from loopback in this network namespace;"
                        + " name one with -i");
            }
            return up;
        }
        List<NetInterface> out = new ArrayList<>();
        for (String name : names) {
            NetInterface i = new NetInterface(Interfaces.indexOf(name), name);
            if (!out.contains(i)) {
                out.add(i);
            }
        }
        return out;
    }

    private static <T> T inNamespace(Optional<String> netns, NetNs.Task<T, RuntimeException> task) {
        return netns.isPresent() ? NetNs.call(netns.get(), task) : task.run();
    }

    public CaptureProgram program() {
        return program;
    }

    public List<NetInterface> interfaces() {
        return interfaces;
    }

    public List<TcxLink> links() {
        return Collections.unmodifiableList(links);
    }

    /** Name of an attached interface by index; records only come from those. */
    public String interfaceName(int ifindex) {
        String name = namesByIndex.get(ifindex);
        return name != null ? name : "if" + ifindex;
    }

    /**
     * Detaches every link; the program and its ring stay, so what was already captured can still be
     * read. After this no new record arrives, which makes the final counters exact.
     */
    public void detach() {
        for (int i = links.size() - 1; i >= 0; i--) {
            links.get(i).close();
        }
    }

    @Override
    public void close() {
        closeAll(links, program);
    }

    private static void closeAll(List<TcxLink> links, CaptureProgram program) {
        for (int i = links.size() - 1; i >= 0; i--) {
            links.get(i).close();
        }
        program.close();
    }
}
