package io.headerlog.collector.bpf;

import com.sun.jna.LastErrorException;
import java.util.function.Consumer;

/**
 * One capture program attached to one interface hook through a TCX link. Closing the link detaches
 * the program; so does the death of the process holding it (unlike a classic tc filter, which stays
 * attached after kill -9).
 */
public final class TcxLink implements AutoCloseable {

    private final int fd;
    private final int ifindex;
    private final Direction direction;
    private final Consumer<TcxLink> onClose;
    private boolean closed;

    TcxLink(int fd, int ifindex, Direction direction, Consumer<TcxLink> onClose) {
        this.fd = fd;
        this.ifindex = ifindex;
        this.direction = direction;
        this.onClose = onClose;
    }

    /** The interface index, in the network namespace the link was created in. */
    public int ifindex() {
        return ifindex;
    }

    public Direction direction() {
        return direction;
    }

    /** The kernel's id of this link (as `bpftool link show` lists it). */
    public synchronized int linkId() {
        if (closed) {
            throw new IllegalStateException("the link is closed");
        }
        return ObjectInfo.id(fd, "TCX link");
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            // Detach explicitly: closing our fd alone would leave the program attached if the fd had
            // been duplicated elsewhere. A failed detach (interface already gone) needs no action.
            LibBpf.bpf_link_detach(fd);
            try {
                LibC.INSTANCE.close(fd);
            } catch (LastErrorException e) {
                // The descriptor is released even when close reports an error (close(2)).
            }
        }
        onClose.accept(this);
    }

    @Override
    public String toString() {
        return "TcxLink[ifindex=" + ifindex + ", " + direction + (closed ? ", closed]" : "]");
    }
}
