package io.headerlog.collector.bpf;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The few libc calls the collector needs (memory mapping, poll, namespaces, interface lookup, raw
 * sockets, thread scheduling). An interface mapping rather than direct mapping because {@code open}
 * and {@code ioctl} are variadic; none of these calls is on the per-record path.
 *
 * <p>Methods that declare {@link LastErrorException} are thin system call wrappers that only touch
 * errno on failure; the others report errors through their return value and
 * {@link Native#getLastError()}.
 */
public interface LibC extends Library {

    LibC INSTANCE = Native.load("c", LibC.class);

    int PROT_READ = 0x1;
    int PROT_WRITE = 0x2;
    int MAP_SHARED = 0x01;
    short POLLIN = 0x1;
    int O_RDONLY = 0;
    int O_CLOEXEC = 0x80000;
    int CLONE_NEWNET = 0x40000000;
    int AF_INET = 2;
    int AF_PACKET = 17;
    int SOCK_DGRAM = 2;
    int SOCK_RAW = 3;
    int SOCK_CLOEXEC = 0x80000;
    long SIOCGIFFLAGS = 0x8913;
    int IFF_UP = 0x1;
    int IFF_LOOPBACK = 0x8;
    int EINTR = 4;
    int EPERM = 1;
    int ENOENT = 2;
    int ENODEV = 19;
    int EINVAL = 22;
    int E2BIG = 7;
    int ENOSPC = 28;
    int ESRCH = 3;

    Pointer mmap(Pointer addr, long length, int prot, int flags, int fd, long offset) throws LastErrorException;

    int munmap(Pointer addr, long length) throws LastErrorException;

    /** {@code fds} points to {@code nfds} 8-byte {@code struct pollfd}s. */
    int poll(Pointer fds, long nfds, int timeoutMillis) throws LastErrorException;

    int open(String path, int flags) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int setns(int fd, int nstype) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int bind(int fd, Pointer addr, int addrLen) throws LastErrorException;

    long send(int fd, byte[] buf, long len, int flags) throws LastErrorException;

    int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

    /** Returns 0 and sets errno when there is no such interface. */
    int if_nametoindex(String name);

    /** Fills {@code name} (at least 16 bytes) and returns it, or NULL. */
    Pointer if_indextoname(int index, byte[] name);

    /** An array of {@code struct if_nameindex} ending with index 0; free with {@link #if_freenameindex}. */
    Pointer if_nameindex();

    void if_freenameindex(Pointer ptr);

    /** Formats a libbpf log line; {@code args} is the {@code va_list} libbpf hands its print callback. */
    int vsnprintf(byte[] buf, long size, String format, Pointer args);

    /** The C library's message for an errno value. */
    String strerror(int errnum);

    int geteuid();

    /** With a thread id, sets that one thread's policy on Linux; {@code param} is a {@code struct sched_param}. */
    int sched_setscheduler(int pid, int policy, Pointer param) throws LastErrorException;

    int getpagesize();
}
