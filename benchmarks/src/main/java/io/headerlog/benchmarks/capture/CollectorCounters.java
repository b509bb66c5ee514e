package io.headerlog.benchmarks.capture;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.headerlog.collector.bpf.KernelCounters;
import io.headerlog.collector.bpf.LibBpf;
import io.headerlog.collector.bpf.LibC;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Live reads of a running collector's kernel counters (its map {@value #MAP_NAME}), opened by map id
 * from this process and read with {@link KernelCounters#read}: exact counts at any instant, so a
 * measurement window can be cut out of a collector run (its summary line only covers the whole run).
 */
final class CollectorCounters implements AutoCloseable {
    static final String MAP_NAME = "hl_counters";
    private static final String MAP_INODE = "anon_inode:bpf-map";
    /** struct bpf_map_info: type, id, key_size, value_size, max_entries, map_flags, then char name[16]. */
    private static final int INFO_BYTES = 40;
    private static final int INFO_MAX_ENTRIES = 16;
    private static final int INFO_NAME = 24;
    private static final int NAME_BYTES = 16;

    private final int fd;
    /** Elements of the map: the collector sized it to one per possible CPU. */
    private final int cpus;
    private boolean closed;

    private CollectorCounters(int fd, int cpus) {
        this.fd = fd;
        this.cpus = cpus;
    }

    /** What this class needs of a map's struct bpf_map_info. */
    private record MapInfo(String name, int maxEntries) {}

    /** Finds the counters map among the maps process {@code pid} holds. */
    static CollectorCounters of(long pid) {
        Path fdDir = Path.of("/proc", Long.toString(pid), "fd");
        List<Path> maps;
        try (Stream<Path> s = Files.list(fdDir)) {
            maps = s.filter(p -> MAP_INODE.equals(readLink(p))).toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + fdDir + " (" + e.getMessage() + "); did the collector exit?", e);
        }
        for (Path p : maps) {
            Long id = fdinfoMapId(pid, p.getFileName().toString());
            if (id == null) {
                continue;
            }
            int mapFd = BpfCalls.INSTANCE.bpf_map_get_fd_by_id(id.intValue());
            if (mapFd < 0) {
                continue;
            }
            MapInfo info = info(mapFd);
            if (MAP_NAME.equals(info.name())) {
                return new CollectorCounters(mapFd, info.maxEntries());
            }
            closeFd(mapFd);
        }
        throw new IllegalStateException("collector " + pid + " holds no BPF map named " + MAP_NAME
                + "; is it a headerlog collector, and is this benchmark root?");
    }

    KernelCounters read() {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the collector's counters are closed");
            }
            return KernelCounters.read(fd, cpus);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            closeFd(fd);
        }
    }

    private static MapInfo info(int mapFd) {
        Memory info = new Memory(INFO_BYTES);
        info.clear();
        int[] len = {INFO_BYTES};
        if (LibBpf.bpf_obj_get_info_by_fd(mapFd, info, len) < 0) {
            return new MapInfo("", 0);
        }
        byte[] raw = info.getByteArray(INFO_NAME, NAME_BYTES);
        int n = 0;
        while (n < raw.length && raw[n] != 0) {
            n++;
        }
        return new MapInfo(new String(raw, 0, n, StandardCharsets.US_ASCII), info.getInt(INFO_MAX_ENTRIES));
    }

    private static Long fdinfoMapId(long pid, String fd) {
        try {
            return ProgramRunTime.parseFdinfo(Files.readString(Path.of("/proc", Long.toString(pid), "fdinfo", fd))).get("map_id");
        } catch (IOException e) {
            return null;
        }
    }

    private static String readLink(Path p) {
        try {
            return Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            return "";
        }
    }

    private static void closeFd(int fd) {
        try {
            LibC.INSTANCE.close(fd);
        } catch (LastErrorException e) {
            // released anyway
        }
    }
}
