package io.headerlog.benchmarks.capture;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.headerlog.collector.bpf.BpfException;
import io.headerlog.collector.bpf.Direction;
import io.headerlog.collector.bpf.LibBpf;
import io.headerlog.collector.bpf.LibC;
import io.headerlog.collector.bpf.NetNs;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;

/**
 * The baseline TC program (bpf/count_only.bpf.c: a per-CPU packet counter, TCX_NEXT), loaded with the
 * collector's libbpf binding and attached with TCX links to both hooks of one interface, as the
 * capture program is. Closing it detaches and unloads everything; so does the end of this process.
 */
final class CountOnlyProgram implements AutoCloseable {
    static final String OBJECT_RESOURCE = "/bpf/count_only.bpf.o";
    private static final String PROGRAM = "hl_count";
    private static final String MAP = "hl_count_only";

    private final Memory elf;
    private final Pointer object;
    private final int programFd;
    private final int mapFd;
    private final int cpus;
    private final List<Integer> linkFds = new ArrayList<>();
    private boolean closed;

    private CountOnlyProgram(Memory elf, Pointer object, int programFd, int mapFd, int cpus) {
        this.elf = elf;
        this.object = object;
        this.programFd = programFd;
        this.mapFd = mapFd;
        this.cpus = cpus;
    }

    /** Loads the program and attaches it to ingress and egress of {@code ifindex} in {@code netns}. */
    static CountOnlyProgram attach(String netns, int ifindex) {
        LibBpf.ensureLoaded();
        byte[] image = readObject();
        // libbpf parses the image in place until the object is closed
        Memory elf = new Memory(image.length);
        elf.write(0, image, 0, image.length);
        Pointer obj = LibBpf.bpf_object__open_mem(elf, image.length, null);
        if (obj == null) {
            throw new BpfException("libbpf could not open " + OBJECT_RESOURCE + ": " + strerror(Native.getLastError())
                    + "; rebuild the collector module (bpf/build.sh)");
        }
        CountOnlyProgram p = null;
        try {
            int rc = LibBpf.bpf_object__load(obj);
            if (rc < 0) {
                throw new BpfException("loading " + OBJECT_RESOURCE + " failed: " + strerror(-rc)
                        + "; run as root on a kernel with BPF (see the collector's requirements)", -rc);
            }
            Pointer prog = LibBpf.bpf_object__find_program_by_name(obj, PROGRAM);
            Pointer map = LibBpf.bpf_object__find_map_by_name(obj, MAP);
            if (prog == null || map == null) {
                throw new BpfException(OBJECT_RESOURCE + " has no program " + PROGRAM + " or map " + MAP
                        + "; rebuild the collector module (bpf/build.sh)");
            }
            p = new CountOnlyProgram(elf, obj, LibBpf.bpf_program__fd(prog), LibBpf.bpf_map__fd(map),
                    LibBpf.libbpf_num_possible_cpus());
            CountOnlyProgram program = p;
            NetNs.run(netns, () -> {
                for (Direction d : Direction.values()) {
                    program.link(ifindex, d);
                }
            });
            return p;
        } catch (RuntimeException e) {
            if (p != null) {
                p.close();
            } else {
                LibBpf.bpf_object__close(obj);
            }
            throw e;
        }
    }

    private synchronized void link(int ifindex, Direction direction) {
        int fd = LibBpf.bpf_link_create(programFd, ifindex, direction.attachType(), null);
        if (fd < 0) {
            throw new BpfException("attaching the count-only program to " + direction.name().toLowerCase()
                    + " of ifindex " + ifindex + " failed: " + strerror(-fd) + "; TCX links need root and Linux 6.6+", -fd);
        }
        linkFds.add(fd);
    }

    /** Packets counted so far by both hooks, summed over all CPUs. */
    synchronized long packets() {
        Memory key = new Memory(4);
        key.setInt(0, 0);
        Memory values = new Memory((long) cpus * Long.BYTES);
        int rc = LibBpf.bpf_map_lookup_elem(mapFd, key, values);
        if (rc < 0) {
            throw new BpfException("reading the count-only counter failed: " + strerror(-rc), -rc);
        }
        long sum = 0;
        for (int cpu = 0; cpu < cpus; cpu++) {
            sum += values.getLong((long) cpu * Long.BYTES);
        }
        return sum;
    }

    /** Run time of this program, from its own fd's fdinfo. */
    ProgramRunTime runTime() {
        return ProgramRunTime.ofProgramFds(ProcessHandle.current().pid(), List.of(programFd));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int fd : linkFds) {
            LibBpf.bpf_link_detach(fd);
            try {
                LibC.INSTANCE.close(fd);
            } catch (LastErrorException e) {
                // the descriptor is released even when close reports an error
            }
        }
        linkFds.clear();
        LibBpf.bpf_object__close(object);
        Reference.reachabilityFence(elf);
    }

    private static byte[] readObject() {
        try (InputStream in = CountOnlyProgram.class.getResourceAsStream(OBJECT_RESOURCE)) {
            if (in == null) {
                throw new BpfException(OBJECT_RESOURCE + " is not on the class path; build the collector module"
                        + " (bpf/build.sh compiles bpf/count_only.bpf.c into it) and put its jar first on the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new BpfException("could not read " + OBJECT_RESOURCE + ": " + e.getMessage());
        }
    }

    private static String strerror(int errno) {
        return LibC.INSTANCE.strerror(errno) + " (errno " + errno + ")";
    }
}
