package io.headerlog.tools.stack;

/** The local stack could not start, stop or be reached; the message says what to do. */
public class StackException extends RuntimeException {
    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
