package io.headerlog.it.l7;

import java.util.List;

/**
 * The HTTP messages that begin (or complete their header block) in one packet of one TCP
 * direction, as either side reports them: tshark per frame, headerlog per record (several records
 * for one packet when requests are pipelined). Header lines of all messages of the packet are in
 * one list because tshark's field output does not say where one message's headers end.
 * {@code truncated}: headerlog did not see the end of the header block (tshark always does).
 * {@code largestPacketBytes}: TCP payload of the largest packet that carried the block (tshark only).
 */
record HttpFrame(String origin, String stream, List<StartLine> startLines, List<Header> headers, List<String> hosts,
                 List<String> userAgents, List<String> contentTypes, List<Long> contentLengths, int segments,
                 int headerBytes, boolean truncated, int largestPacketBytes) {

    HttpFrame {
        startLines = List.copyOf(startLines);
        headers = List.copyOf(headers);
        hosts = List.copyOf(hosts);
        userAgents = List.copyOf(userAgents);
        contentTypes = List.copyOf(contentTypes);
        contentLengths = List.copyOf(contentLengths);
    }

    /** Request line (method, target, version) or status line (version, status, reason). */
    record StartLine(String method, String target, String version, Integer statusCode, String reason) {
        boolean isRequest() {
            return method != null;
        }

        /** The line as sent, assuming single spaces, without CRLF. */
        String text() {
            return isRequest() ? method + " " + target + " " + version
                    : version + " " + statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason);
        }
    }

    record Header(String name, String value) {
    }

    String firstTarget() {
        return startLines.isEmpty() ? null : startLines.get(0).target();
    }

    boolean isRequest() {
        return !startLines.isEmpty() && startLines.get(0).isRequest();
    }
}
