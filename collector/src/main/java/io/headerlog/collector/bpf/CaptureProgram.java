package io.headerlog.collector.bpf;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The loaded capture program (bpf/capture.bpf.c): its two TC programs, the ring buffer of records,
 * the per-CPU counters, the run-time filters and the flow counters.
 *
 * <p>Life cycle: {@link #load} opens the object from the classpath resource
 * {@value #OBJECT_RESOURCE} (no temp file), writes the {@link CaptureConfig} into {@code .rodata},
 * sizes the ring and the flow tables and loads everything into the kernel; {@link #attach} creates TCX
 * links; {@link #ringReader()} maps the ring; {@link #filters()} changes what the kernel drops while it
 * runs; {@link #flows()} reads the flow counters; {@link #close()} releases all of it in reverse order.
 *
 * <p>Thread-safe. {@link #attach} resolves the ifindex in the calling thread's network namespace, so
 * call it on a thread inside the namespace of the interface (see {@link NetNs}).
 */
public final class CaptureProgram implements AutoCloseable {

    public static final String OBJECT_RESOURCE = "/bpf/capture.bpf.o";
    static final String RING_MAP = "hl_events";
    static final String COUNTERS_MAP = "hl_counters";
    static final String CONFIG_VAR = "hl_cfg";
    static final String CIDR_RULES_MAP = "hl_cidr_rules";
    static final String PORT_RULES_MAP = "hl_port_rules";
    static final String PROTO_RULES_MAP = "hl_proto_rules";
    static final String CONTROL_MAP = "hl_control";
    static final String FLOWS_MAP = "hl_flows";
    static final String FLOW_TABLE_A = "hl_flows_a";
    static final String FLOW_TABLE_B = "hl_flows_b";
    static final String FLOW_SLOTS_MAP = "hl_flow_slots";

    private final CaptureConfig config;
    private final Memory objectBytes;
    private final Pointer object;
    private final Map<Direction, Integer> programFds;
    private final int ringFd;
    private final int countersFd;
    private final int cpus;
    private final CaptureFilters filters;
    private final FlowTable flows;
    private final List<TcxLink> links = new ArrayList<>();
    private RingBufferReader reader;
    private boolean closed;

    private CaptureProgram(CaptureConfig config, Memory objectBytes, Pointer object, Map<Direction, Integer> programFds,
            int ringFd, int countersFd, int cpus) {
        this.config = config;
        this.objectBytes = objectBytes;
        this.object = object;
        this.programFds = programFds;
        this.ringFd = ringFd;
        this.countersFd = countersFd;
        this.cpus = cpus;
        this.filters = new CaptureFilters(this, mapFd(object, CIDR_RULES_MAP), mapFd(object, PORT_RULES_MAP),
                mapFd(object, PROTO_RULES_MAP), mapFd(object, CONTROL_MAP));
        this.flows = new FlowTable(this, mapFd(object, FLOWS_MAP), mapFd(object, FLOW_TABLE_A), mapFd(object, FLOW_TABLE_B),
                config.flowEntries() > 0, new FlowSlots(mapFd(object, FLOW_SLOTS_MAP), mapFd(object, CONTROL_MAP),
                        config.flowSlots(), cpus));
    }

    private static int mapFd(Pointer obj, String name) {
        return LibBpf.bpf_map__fd(map(obj, name));
    }

    /** Opens, configures and loads the capture program into the kernel. */
    public static CaptureProgram load(CaptureConfig config) {
        return load(config, readObject());
    }

    /** Loads another build of capture.bpf.o (same maps and programs); for tests of the load path. */
    static CaptureProgram load(CaptureConfig config, byte[] elfImage) {
        LibBpf.ensureLoaded();
        // libbpf parses the ELF image in place until the object is closed, so this memory lives as
        // long as the CaptureProgram.
        Memory bytes = new Memory(Math.max(1, elfImage.length));
        bytes.write(0, elfImage, 0, elfImage.length);
        Pointer obj;
        try (LibBpf.LogCapture log = LibBpf.captureLog()) {
            obj = LibBpf.bpf_object__open_mem(bytes, elfImage.length, openOptions());
            if (obj == null) {
                int errno = Native.getLastError();
                String why = log.text().lines().map(l -> l.replaceFirst("^libbpf: ", "")).reduce((a, b) -> a + " | " + b)
                        .map(t -> " (" + t + ")").orElse("");
                throw new BpfException("libbpf could not open " + OBJECT_RESOURCE + ": " + strerror(errno) + why
                        + "; rebuild the collector module (bpf/build.sh)", errno, log.text(), null);
            }
        }
        try {
            int cpus = LibBpf.libbpf_num_possible_cpus();
            if (cpus <= 0) {
                throw new BpfException("libbpf could not count the possible CPUs: " + strerror(-cpus)
                        + "; is /sys/devices/system/cpu/possible readable?", -cpus);
            }
            configure(obj, config, cpus);
            load(obj);
            Map<Direction, Integer> fds = new EnumMap<>(Direction.class);
            for (Direction d : Direction.values()) {
                fds.put(d, LibBpf.bpf_program__fd(program(obj, d.programName())));
            }
            int ringFd = LibBpf.bpf_map__fd(map(obj, RING_MAP));
            int countersFd = LibBpf.bpf_map__fd(map(obj, COUNTERS_MAP));
            return new CaptureProgram(config, bytes, obj, fds, ringFd, countersFd, cpus);
        } catch (RuntimeException e) {
            LibBpf.bpf_object__close(obj);
            throw e;
        }
    }

    /**
     * struct bpf_object_open_opts up to object_name: names the object "capture" in libbpf's messages
     * (it is named after a memory address otherwise). A shorter sz is how libbpf's opts stay
     * compatible across versions.
     */
    private static Memory openOptions() {
        Memory opts = new Memory(2 * Native.POINTER_SIZE);
        opts.setLong(0, opts.size());
        opts.setPointer(Native.POINTER_SIZE, OBJECT_NAME);
        return opts;
    }

    private static final Memory OBJECT_NAME = cString("capture");

    private static Memory cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        Memory m = new Memory(b.length + 1L);
        m.write(0, b, 0, b.length);
        m.setByte(b.length, (byte) 0);
        return m;
    }

    private static byte[] readObject() {
        try (InputStream in = CaptureProgram.class.getResourceAsStream(OBJECT_RESOURCE)) {
            if (in == null) {
                throw new BpfException(OBJECT_RESOURCE + " is not on the classpath; build the collector module"
                        + " (mvn -pl collector package runs bpf/build.sh, which needs clang and libbpf-dev)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new BpfException("could not read " + OBJECT_RESOURCE + " from the classpath: " + e.getMessage(), 0, "", e);
        }
    }

    /** Sizes the maps and writes the knobs into .rodata; {@code cpus}: possible CPUs. */
    private static void configure(Pointer obj, CaptureConfig config, int cpus) {
        int rc = LibBpf.bpf_map__set_max_entries(map(obj, RING_MAP), config.ringBytes());
        if (rc < 0) {
            throw new BpfException("could not size the ring buffer to " + config.ringBytes() + " bytes: " + strerror(-rc), -rc);
        }
        // A hash map needs at least one entry even when flow counters are off (the programs then never touch it).
        int flowEntries = Math.max(1, config.flowEntries());
        for (String table : List.of(FLOW_TABLE_A, FLOW_TABLE_B)) {
            rc = LibBpf.bpf_map__set_max_entries(map(obj, table), flowEntries);
            if (rc < 0) {
                throw new BpfException("could not size flow table " + table + " to " + flowEntries + " flows: "
                        + strerror(-rc), -rc);
            }
        }
        // per CPU two halves (one per collection interval); an array needs entries even when there are no slots
        int slotEntries = cpus * 2 * Math.max(1, config.flowSlots());
        rc = LibBpf.bpf_map__set_max_entries(map(obj, FLOW_SLOTS_MAP), slotEntries);
        if (rc < 0) {
            throw new BpfException("could not size " + FLOW_SLOTS_MAP + " to " + slotEntries + " slots: " + strerror(-rc), -rc);
        }
        rc = LibBpf.bpf_map__set_max_entries(map(obj, COUNTERS_MAP), cpus);
        if (rc < 0) {
            throw new BpfException("could not size " + COUNTERS_MAP + " to " + cpus + " CPUs: " + strerror(-rc), -rc);
        }
        Pointer rodata = map(obj, ".rodata");
        int offset = BtfVars.offsetInDatasec(obj, ".rodata", CONFIG_VAR, EventLayout.CFG_SIZE);
        long[] size = new long[1];
        Pointer init = LibBpf.bpf_map__initial_value(rodata, size);
        if (init == null || size[0] < offset + EventLayout.CFG_SIZE) {
            throw new BpfException(".rodata of " + OBJECT_RESOURCE + " has " + size[0] + " bytes, too few for "
                    + CONFIG_VAR + " at offset " + offset + "; rebuild the collector module");
        }
        init.setInt(offset + EventLayout.CFG_SNAP_LEN, config.snapLen());
        init.setInt(offset + EventLayout.CFG_WAKEUP_BYTES, config.wakeupBytes());
        init.setInt(offset + EventLayout.CFG_L7_SNAP_LEN, config.l7SnapLen());
        init.setInt(offset + EventLayout.CFG_L7_FOLLOW_BYTES, config.l7FollowBytes());
        init.setInt(offset + EventLayout.CFG_SAMPLE_RATE, config.sampleRate());
        init.setInt(offset + EventLayout.CFG_KEEP_FLAGS, config.keepFlags());
        init.setInt(offset + EventLayout.CFG_FLOW_ENTRIES, config.flowEntries());
        init.setInt(offset + EventLayout.CFG_FLOW_SLOTS, config.flowSlots());
    }

    private static void load(Pointer obj) {
        try (LibBpf.LogCapture log = LibBpf.captureLog()) {
            int rc = LibBpf.bpf_object__load(obj);
            if (rc >= 0) {
                return;
            }
            int errno = -rc;
            if (errno == LibC.EPERM) {
                throw new BpfException("the kernel refused to load the capture program (EPERM): " + Capabilities.eperm(),
                        errno, log.text(), null);
            }
            throw new BpfException("the kernel rejected the capture program (" + strerror(errno) + "): "
                    + log.verifierSummary() + "; this kernel and capture.bpf.c disagree, see the details for the verifier log",
                    errno, log.text(), null);
        }
    }

    private static Pointer map(Pointer obj, String name) {
        Pointer m = LibBpf.bpf_object__find_map_by_name(obj, name);
        if (m == null) {
            throw new BpfException(OBJECT_RESOURCE + " has no map " + name + "; rebuild the collector module");
        }
        return m;
    }

    private static Pointer program(Pointer obj, String name) {
        Pointer p = LibBpf.bpf_object__find_program_by_name(obj, name);
        if (p == null) {
            throw new BpfException(OBJECT_RESOURCE + " has no program " + name + "; rebuild the collector module");
        }
        return p;
    }

    public CaptureConfig config() {
        return config;
    }

    /**
     * Attaches the program for {@code direction} to interface {@code ifindex} of the calling thread's
     * network namespace. The link stays attached until it, or this program, is closed.
     */
    public TcxLink attach(int ifindex, Direction direction) {
        synchronized (this) {
            ensureOpen();
            int fd = LibBpf.bpf_link_create(programFds.get(direction), ifindex, direction.attachType(), null);
            if (fd < 0) {
                throw attachError(-fd, ifindex, direction);
            }
            TcxLink link = new TcxLink(fd, ifindex, direction, this::forget);
            links.add(link);
            return link;
        }
    }

    private BpfException attachError(int errno, int ifindex, Direction direction) {
        String what = "attaching the " + direction.name().toLowerCase() + " capture program to ifindex " + ifindex
                + " in network namespace " + NetNs.describeCurrent();
        KernelVersion kernel = KernelVersion.current();
        if (errno == LibC.EPERM) {
            return new BpfException(what + " was refused (EPERM): " + Capabilities.eperm(), errno);
        }
        if (errno == LibC.ENODEV || errno == LibC.ENOENT) {
            return new BpfException(what + " failed: no such interface there; resolve the name on a thread inside"
                    + " that namespace (NetNs) and check `ip link`", errno);
        }
        if (errno == LibC.EINVAL && kernel.known() && !kernel.atLeast(6, 6)) {
            return new BpfException(what + " failed: kernel " + kernel + " has no TCX links (they need Linux 6.6 or"
                    + " newer); upgrade the kernel", errno);
        }
        return new BpfException(what + " failed: " + strerror(errno), errno);
    }

    /** The run-time filters: what the kernel drops before hashing, flow counting and sampling. */
    public CaptureFilters filters() {
        return filters;
    }

    /** The per-flow counters (empty when loaded with {@code flowEntries = 0}). */
    public FlowTable flows() {
        return flows;
    }

    /** The fd of the program serving {@code direction}, for BPF_PROG_TEST_RUN in tests and benchmarks. */
    int programFd(Direction direction) {
        synchronized (this) {
            ensureOpen();
            return programFds.get(direction);
        }
    }

    /** The kernel's id of the program serving {@code direction} (as `bpftool prog show` lists it). */
    public int programId(Direction direction) {
        synchronized (this) {
            ensureOpen();
            return ObjectInfo.id(programFds.get(direction), "capture program");
        }
    }

    /** Maps the ring buffer (once; later calls return the same reader until it is closed). */
    public synchronized RingBufferReader ringReader() {
        ensureOpen();
        if (reader == null || reader.isClosed()) {
            reader = RingBufferReader.map(ringFd, config.ringBytes());
        }
        return reader;
    }

    /** Sums the per-CPU counters. */
    public KernelCounters readCounters() {
        synchronized (this) {
            ensureOpen();
            return KernelCounters.read(countersFd, cpus);
        }
    }

    /** The links attached through this program and not closed yet. */
    public synchronized List<TcxLink> links() {
        return List.copyOf(links);
    }

    /** Closes the ring reader, detaches every link and unloads the program. Idempotent. */
    @Override
    public void close() {
        List<TcxLink> toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (reader != null) {
                reader.close();
            }
            toClose = new ArrayList<>(links);
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        synchronized (this) {
            LibBpf.bpf_object__close(object);
        }
        // Keep the ELF image reachable until the object is closed.
        Reference.reachabilityFence(objectBytes);
    }

    private synchronized void forget(TcxLink link) {
        links.remove(link);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the capture program is closed");
        }
    }

    /** For the map views (filters, flows), which lock on this program. */
    void checkOpen() {
        ensureOpen();
    }

    static String strerror(int errno) {
        return LibC.INSTANCE.strerror(errno) + " (errno " + errno + ")";
    }
}
