package io.headerlog.collector.bpf;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Interface lookups in the calling thread's network namespace (the libc calls use sockets and
 * netlink, which belong to the namespace of the thread that opens them; see {@link NetNs}).
 */
public final class Interfaces {
    private Interfaces() {}

    private static final int IFNAMSIZ = 16;
    /** sizeof(struct ifreq) and sizeof(struct if_nameindex) on LP64 Linux. */
    private static final int IFREQ_BYTES = 40;
    private static final int NAMEINDEX_BYTES = 16;
    private static final int IFREQ_FLAGS = 16;

    /** The index of interface {@code name}, with an actionable error when there is none. */
    public static int indexOf(String name) {
        if (name == null || name.isEmpty() || name.length() >= IFNAMSIZ) {
            throw new IllegalArgumentException("'" + name + "' is not an interface name (1-15 characters)");
        }
        int index = LibC.INSTANCE.if_nametoindex(name);
        if (index == 0) {
            int errno = Native.getLastError();
            throw new BpfException("no interface named " + name + " in network namespace " + NetNs.describeCurrent()
                    + "; see `ip link`", errno);
        }
        return index;
    }

    /** The name of interface {@code index}, if it exists. */
    public static Optional<String> nameOf(int index) {
        byte[] buf = new byte[IFNAMSIZ];
        Pointer p = LibC.INSTANCE.if_indextoname(index, buf);
        return p == null ? Optional.empty() : Optional.of(cString(buf));
    }

    /** Every interface, in index order. */
    public static List<NetInterface> all() {
        Pointer list = LibC.INSTANCE.if_nameindex();
        if (list == null) {
            int errno = Native.getLastError();
            throw new BpfException("listing network interfaces failed: " + LibC.INSTANCE.strerror(errno), errno);
        }
        List<NetInterface> out = new ArrayList<>();
        try {
            for (long off = 0;; off += NAMEINDEX_BYTES) {
                int index = list.getInt(off);
                if (index == 0) {
                    break;
                }
                out.add(new NetInterface(index, list.getPointer(off + 8).getString(0, StandardCharsets.UTF_8.name())));
            }
        } finally {
            LibC.INSTANCE.if_freenameindex(list);
        }
        out.sort((a, b) -> Integer.compare(a.index(), b.index()));
        return out;
    }

    /** The interfaces that are up and are not loopback: what a collector captures on by default. */
    public static List<NetInterface> upNonLoopback() {
        LibC libc = LibC.INSTANCE;
        int fd;
        try {
            fd = libc.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new BpfException("could not open a socket to read interface flags: " + libc.strerror(e.getErrorCode()),
                    e.getErrorCode());
        }
        try {
            List<NetInterface> out = new ArrayList<>();
            Memory ifreq = new Memory(IFREQ_BYTES);
            for (NetInterface nif : all()) {
                ifreq.clear();
                byte[] name = nif.name().getBytes(StandardCharsets.UTF_8);
                ifreq.write(0, name, 0, Math.min(name.length, IFNAMSIZ - 1));
                try {
                    libc.ioctl(fd, LibC.SIOCGIFFLAGS, ifreq);
                } catch (LastErrorException e) {
                    continue; // removed between listing and asking: not a candidate anyway
                }
                int flags = ifreq.getShort(IFREQ_FLAGS) & 0xffff;
                if ((flags & LibC.IFF_UP) != 0 && (flags & LibC.IFF_LOOPBACK) == 0) {
                    out.add(nif);
                }
            }
            return out;
        } finally {
            libc.close(fd);
        }
    }

    private static String cString(byte[] buf) {
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.UTF_8);
    }
}
