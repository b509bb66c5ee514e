package io.headerlog.collector.bpf;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs code inside another network namespace.
 *
 * <p>A network namespace belongs to a thread, not to the process: {@link #call} enters the namespace
 * on a dedicated new thread, runs the task there and returns its result, so the rest of the JVM
 * (e.g. the Kafka client) keeps its own namespace. Sockets, TCX links and interface indexes obtained
 * inside stay valid when used from other threads afterwards. The thread returns to its original
 * namespace before it ends.
 */
public final class NetNs {
    private NetNs() {}

    private static final Logger LOG = LoggerFactory.getLogger(NetNs.class);
    private static final Path NAMED = Path.of("/var/run/netns");
    private static final Path SELF = Path.of("/proc/thread-self/ns/net");

    /** A task that may throw E; a lambda that throws no checked exception makes E a RuntimeException. */
    @FunctionalInterface
    public interface Task<T, E extends Exception> {
        T run() throws E;
    }

    /** A name under /var/run/netns (as `ip netns` makes them) or an absolute path such as /proc/PID/ns/net. */
    public static Path resolve(String nameOrPath) {
        if (nameOrPath == null || nameOrPath.isBlank()) {
            throw new IllegalArgumentException("a network namespace name or path is required");
        }
        Path p = nameOrPath.startsWith("/") ? Path.of(nameOrPath) : NAMED.resolve(nameOrPath);
        if (!nameOrPath.startsWith("/") && nameOrPath.contains("/")) {
            throw new IllegalArgumentException("'" + nameOrPath + "' is neither a namespace name nor an absolute path");
        }
        if (!Files.exists(p)) {
            throw new BpfException("no network namespace '" + nameOrPath + "' (" + p + " does not exist); see `ip netns list`");
        }
        return p;
    }

    /**
     * Runs {@code task} on a new thread inside network namespace {@code nameOrPath} and returns its
     * result; exceptions of the task are rethrown here.
     */
    @SuppressWarnings("unchecked")
    public static <T, E extends Exception> T call(String nameOrPath, Task<T, E> task) throws E {
        Path path = resolve(nameOrPath);
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                result.set(inNamespace(path, task));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "netns-" + path.getFileName());
        worker.setDaemon(true);
        worker.start();
        try {
            worker.join();
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw new BpfException("interrupted while waiting for a task in network namespace " + nameOrPath);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw (E) t;
        }
        return result.get();
    }

    /** {@link #call} for tasks without a result. */
    public static <E extends Exception> void run(String nameOrPath, VoidTask<E> task) throws E {
        call(nameOrPath, () -> {
            task.run();
            return null;
        });
    }

    @FunctionalInterface
    public interface VoidTask<E extends Exception> {
        void run() throws E;
    }

    private static <T, E extends Exception> T inNamespace(Path path, Task<T, E> task) throws E {
        LibC libc = LibC.INSTANCE;
        int original = open(SELF);
        try {
            int target = open(path);
            try {
                libc.setns(target, LibC.CLONE_NEWNET);
            } catch (LastErrorException e) {
                throw new BpfException("entering network namespace " + path + " failed: " + libc.strerror(e.getErrorCode())
                        + (e.getErrorCode() == LibC.EPERM ? "; this needs root (CAP_SYS_ADMIN)" : ""), e.getErrorCode());
            } finally {
                libc.close(target);
            }
            try {
                return task.run();
            } finally {
                try {
                    libc.setns(original, LibC.CLONE_NEWNET);
                } catch (LastErrorException e) {
                    // The thread ends right after this, so a failed restore cannot leak the namespace.
                    LOG.warn("could not return thread {} to its network namespace: {}", Thread.currentThread().getName(),
                            libc.strerror(e.getErrorCode()));
                }
            }
        } finally {
            libc.close(original);
        }
    }

    private static int open(Path path) {
        try {
            return LibC.INSTANCE.open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new BpfException("cannot open network namespace " + path + ": " + LibC.INSTANCE.strerror(e.getErrorCode()),
                    e.getErrorCode());
        }
    }

    /**
     * Names the calling thread's network namespace for messages: its name under /var/run/netns if it
     * has one, "host" for init's namespace, else the kernel's "net:[inode]".
     */
    public static String describeCurrent() {
        try {
            Object inode = Files.getAttribute(SELF, "unix:ino");
            String raw = Files.readSymbolicLink(SELF).toString();
            if (Files.isDirectory(NAMED)) {
                try (Stream<Path> named = Files.list(NAMED)) {
                    for (Path p : (Iterable<Path>) named::iterator) {
                        if (inode.equals(inodeOf(p))) {
                            return p.getFileName().toString();
                        }
                    }
                }
            }
            if (inode.equals(inodeOf(Path.of("/proc/1/ns/net")))) {
                return "host (" + raw + ")";
            }
            return raw;
        } catch (IOException | UnsupportedOperationException e) {
            return "(unknown: " + e.getMessage() + ")";
        }
    }

    private static Object inodeOf(Path p) {
        try {
            return Files.getAttribute(p, "unix:ino");
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
