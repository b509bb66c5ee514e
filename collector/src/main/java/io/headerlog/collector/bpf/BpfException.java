package io.headerlog.collector.bpf;

/**
 * A kernel or libbpf operation failed. The message is one line that says what failed and what to do
 * about it; {@link #details()} carries multi-line diagnostics such as the verifier log.
 */
public final class BpfException extends RuntimeException {

    private final int errno;
    private final String details;

    public BpfException(String message) {
        this(message, 0, "", null);
    }

    public BpfException(String message, int errno) {
        this(message, errno, "", null);
    }

    public BpfException(String message, int errno, String details, Throwable cause) {
        super(message, cause);
        this.errno = errno;
        this.details = details == null ? "" : details;
    }

    /** The positive errno of the failed call, or 0 when there was none. */
    public int errno() {
        return errno;
    }

    /** Multi-line diagnostics (libbpf warnings, the verifier log); empty when there are none. */
    public String details() {
        return details;
    }
}
