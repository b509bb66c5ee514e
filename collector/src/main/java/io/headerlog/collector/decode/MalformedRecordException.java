package io.headerlog.collector.decode;

/** A ring record that breaks the bpf/capture.h contract (counted as a decode error, never fatal). */
public final class MalformedRecordException extends RuntimeException {
    public MalformedRecordException(String message) {
        super(message);
    }
}
