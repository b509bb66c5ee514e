package io.headerlog.benchmarks.capture;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.headerlog.collector.bpf.EventLayout;
import io.headerlog.collector.bpf.LibBpf;
import io.headerlog.collector.bpf.LibC;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Live reads of a running collector's kernel counters (its map {@value #MAP_NAME}, one element per CPU), opened
 * by map id from this process: exact counts at any instant, so a measurement window can be cut out
 * of a collector run (its summary line only covers the whole run).
 *
 * <p>Only the first three counters are read (SEEN, SUBMITTED, RINGBUF_FULL), whose indexes every
 * version of capture.h keeps; a packet kept for a record is either submitted or lost to a full ring.
 */
final class CollectorCounters implements AutoCloseable {
    static final String MAP_NAME = "hl_counters";
    private static final String MAP_INODE = "anon_inode:bpf-map";
    /** struct bpf_map_info: type, id, key_size, value_size, max_entries, map_flags, then char name[16]. */
    private static final int INFO_BYTES = 40;
    private static final int INFO_NAME = 24;
    private static final int NAME_BYTES = 16;

    /** One reading. */
    record Reading(long seen, long submitted, long ringFull) {
        long kept() {
            return submitted + ringFull;
        }

        Reading minus(Reading earlier) {
            return new Reading(seen - earlier.seen, submitted - earlier.submitted, ringFull - earlier.ringFull);
        }
    }

    private final int fd;
    private final int cpus;
    private boolean closed;

    private CollectorCounters(int fd) {
        this.fd = fd;
        this.cpus = LibBpf.libbpf_num_possible_cpus();
    }

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
            if (MAP_NAME.equals(name(mapFd))) {
                return new CollectorCounters(mapFd);
            }
            closeFd(mapFd);
        }
        throw new IllegalStateException("collector " + pid + " holds no BPF map named " + MAP_NAME
                + "; is it a headerlog collector, and is this benchmark root?");
    }

    Reading read() {
        Memory key = new Memory(4);
        Memory values = new Memory((long) EventLayout.CNT_STRIDE * Long.BYTES);
        long[] sums = new long[3];
        int[] indexes = {EventLayout.CNT_SEEN, EventLayout.CNT_SUBMITTED, EventLayout.CNT_RINGBUF_FULL};
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the collector's counters are closed");
            }
            for (int cpu = 0; cpu < cpus; cpu++) {
                key.setInt(0, cpu);
                int rc = LibBpf.bpf_map_lookup_elem(fd, key, values);
                if (rc < 0) {
                    throw new IllegalStateException("reading the collector's counters of CPU " + cpu + " failed: "
                            + LibC.INSTANCE.strerror(-rc));
                }
                for (int i = 0; i < indexes.length; i++) {
                    sums[i] += values.getLong((long) indexes[i] * Long.BYTES);
                }
            }
        }
        return new Reading(sums[0], sums[1], sums[2]);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            closeFd(fd);
        }
    }

    private static String name(int mapFd) {
        Memory info = new Memory(INFO_BYTES);
        info.clear();
        int[] len = {INFO_BYTES};
        if (LibBpf.bpf_obj_get_info_by_fd(mapFd, info, len) < 0) {
            return "";
        }
        byte[] raw = info.getByteArray(INFO_NAME, NAME_BYTES);
        int n = 0;
        while (n < raw.length && raw[n] != 0) {
            n++;
        }
        return new String(raw, 0, n, StandardCharsets.US_ASCII);
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
