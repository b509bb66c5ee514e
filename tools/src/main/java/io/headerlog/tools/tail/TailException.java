package io.headerlog.tools.tail;

/** tail cannot go on: broker or registry unreachable, topic missing. The message says what to do. */
public class TailException extends RuntimeException {
    public TailException(String message, Throwable cause) {
        super(message, cause);
    }

    public TailException(String message) {
        super(message);
    }
}
