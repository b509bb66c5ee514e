package io.headerlog.streams.http;

/**
 * A request one observer saw, waiting for its response.
 *
 * @param ordinal    n: the n-th request this observer saw on the connection
 * @param deadlineMs stream time after which it is reported unanswered
 */
record OpenRequest(int ordinal, RequestInfo request, Stamp stamp, long deadlineMs) {
}
