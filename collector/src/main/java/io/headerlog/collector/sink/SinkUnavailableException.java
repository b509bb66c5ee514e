package io.headerlog.collector.sink;

/** The sink's service (broker, registry) cannot be reached; the message says what to do. */
public final class SinkUnavailableException extends RuntimeException {
    public SinkUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
