package io.headerlog.collector.l7;

/**
 * One HTTP header field exactly as sent: the name with its case kept, the value with the optional
 * whitespace around it removed. Values may be secrets (Authorization, Cookie): the header policy
 * decides what is published, so never log one of these.
 */
public record RawHeader(String name, String value) {

    /** Names are case-insensitive (RFC 9110 5.1). */
    public boolean is(String headerName) {
        return name.equalsIgnoreCase(headerName);
    }

    /** No value in toString: a stray log line must not leak a secret. */
    @Override
    public String toString() {
        return "RawHeader[" + name + ", " + value.length() + " chars]";
    }
}
