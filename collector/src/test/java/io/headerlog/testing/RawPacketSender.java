package io.headerlog.testing;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.headerlog.collector.bpf.Interfaces;
import io.headerlog.collector.bpf.LibC;
import io.headerlog.collector.bpf.NetNs;

/**
 * Injects exact Ethernet frames through an AF_PACKET raw socket bound to one interface. The socket
 * is created on a thread inside the interface's namespace (a socket belongs to the namespace it was
 * created in), after which {@link #send} works from any thread.
 */
public final class RawPacketSender implements AutoCloseable {

    /** sizeof(struct sockaddr_ll) */
    private static final int SOCKADDR_LL_BYTES = 20;

    private final int fd;
    private final String description;
    private boolean closed;

    private RawPacketSender(int fd, String description) {
        this.fd = fd;
        this.description = description;
    }

    /** Opens a sender on interface {@code ifName} of network namespace {@code netns}. */
    public static RawPacketSender open(String netns, String ifName) {
        return NetNs.call(netns, () -> openHere(ifName, netns + "/" + ifName));
    }

    private static RawPacketSender openHere(String ifName, String description) {
        LibC libc = LibC.INSTANCE;
        int ifindex = Interfaces.indexOf(ifName);
        // Protocol 0: the socket sends but receives nothing, so it never queues up captured traffic.
        int fd;
        try {
            fd = libc.socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw new IllegalStateException("opening a packet socket for " + description + " failed: "
                    + libc.strerror(e.getErrorCode()) + " (needs root or CAP_NET_RAW)", e);
        }
        try {
            Memory sll = new Memory(SOCKADDR_LL_BYTES);
            sll.clear();
            sll.setShort(0, (short) LibC.AF_PACKET);
            sll.setInt(4, ifindex);
            libc.bind(fd, sll, SOCKADDR_LL_BYTES);
        } catch (LastErrorException e) {
            libc.close(fd);
            throw new IllegalStateException("binding a packet socket to " + description + " failed: "
                    + libc.strerror(e.getErrorCode()), e);
        }
        return new RawPacketSender(fd, description);
    }

    /** Sends one frame as it is (its first bytes are the Ethernet header). */
    public synchronized void send(byte[] frame) {
        if (closed) {
            throw new IllegalStateException("sender for " + description + " is closed");
        }
        try {
            long n = LibC.INSTANCE.send(fd, frame, frame.length, 0);
            if (n != frame.length) {
                throw new IllegalStateException("sent " + n + " of " + frame.length + " bytes on " + description);
            }
        } catch (LastErrorException e) {
            throw new IllegalStateException("sending a " + frame.length + "-byte frame on " + description + " failed: "
                    + LibC.INSTANCE.strerror(e.getErrorCode()), e);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LibC.INSTANCE.close(fd);
        }
    }
}
