package io.headerlog.registry;

/**
 * A schema registry call failed: the registry is unreachable, answered with an error, or rejected a
 * schema (e.g. as incompatible). Unchecked because callers (serializers, CLIs) can rarely recover
 * and Kafka's Serializer interface does not allow checked exceptions.
 */
public class SchemaRegistryException extends RuntimeException {

    /** HTTP status of the registry's answer, or -1 when the registry was not reached. */
    private final int httpStatus;
    /** Confluent API error_code (e.g. 40401 subject not found, 409 incompatible), or -1. */
    private final int errorCode;

    public SchemaRegistryException(String message) {
        this(message, -1, -1, null);
    }

    public SchemaRegistryException(String message, Throwable cause) {
        this(message, -1, -1, cause);
    }

    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        this(message, httpStatus, errorCode, null);
    }

    public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int errorCode() {
        return errorCode;
    }
}
