package io.headerlog.streams.http;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and windows of the http.transactions branch. Every duration is measured in stream time
 * (record timestamps), never on a host's clock, so replaying a backlog gives the same pairs.
 *
 * @param responseTimeout              how long a request waits for its response before it is reported
 *                                     unanswered; also how old (behind stream time) a record may be
 *                                     before it is counted late and skipped, and how long a one-sided
 *                                     transaction is remembered so the other side's late view is not
 *                                     reported a second time
 * @param joinWindow                   how long one side's view waits for the other side's view of the
 *                                     same request before it goes out one-sided
 * @param maxOpenRequestsPerConnection bound on each of a connection's lists (open requests per observer,
 *                                     views waiting to be joined, reported requests remembered); the
 *                                     oldest entry is evicted beyond it, so a connection whose responses
 *                                     are never captured cannot grow without end
 * @param maxConnectionsPerTask        bound on connections with state in one task; beyond it the
 *                                     connection whose state would expire soonest is evicted
 * @param expiryInterval               how often (stream time) expired requests and views are looked for;
 *                                     windows close up to this late
 */
public record HttpTransactionConfig(Duration responseTimeout, Duration joinWindow, int maxOpenRequestsPerConnection,
        int maxConnectionsPerTask, Duration expiryInterval) {

    public static final HttpTransactionConfig DEFAULTS = new HttpTransactionConfig(Duration.ofSeconds(30),
            Duration.ofSeconds(5), 64, 50_000, Duration.ofSeconds(1));

    public HttpTransactionConfig {
        requireMillis(responseTimeout, "response timeout");
        requireMillis(joinWindow, "join window");
        requireMillis(expiryInterval, "expiry interval");
        if (expiryInterval.compareTo(joinWindow) > 0) {
            // otherwise a view could wait several join windows before anyone looks at it
            throw new IllegalArgumentException("expiry interval must be <= the join window (" + joinWindow + "), was "
                    + expiryInterval);
        }
        if (maxOpenRequestsPerConnection < 1) {
            throw new IllegalArgumentException("max open requests per connection must be >= 1, was "
                    + maxOpenRequestsPerConnection);
        }
        if (maxConnectionsPerTask < 1) {
            throw new IllegalArgumentException("max connections per task must be >= 1, was " + maxConnectionsPerTask);
        }
    }

    private static void requireMillis(Duration d, String what) {
        Objects.requireNonNull(d, what + " must be set");
        // stream time has millisecond resolution: anything shorter would be zero
        if (d.toMillis() < 1) {
            throw new IllegalArgumentException(what + " must be >= 1 ms, was " + d);
        }
    }

    public HttpTransactionConfig withResponseTimeout(Duration value) {
        return new HttpTransactionConfig(value, joinWindow, maxOpenRequestsPerConnection, maxConnectionsPerTask,
                expiryInterval);
    }

    public HttpTransactionConfig withJoinWindow(Duration value) {
        return new HttpTransactionConfig(responseTimeout, value, maxOpenRequestsPerConnection, maxConnectionsPerTask,
                expiryInterval);
    }

    public HttpTransactionConfig withMaxOpenRequestsPerConnection(int value) {
        return new HttpTransactionConfig(responseTimeout, joinWindow, value, maxConnectionsPerTask, expiryInterval);
    }

    public HttpTransactionConfig withMaxConnectionsPerTask(int value) {
        return new HttpTransactionConfig(responseTimeout, joinWindow, maxOpenRequestsPerConnection, value,
                expiryInterval);
    }

    public HttpTransactionConfig withExpiryInterval(Duration value) {
        return new HttpTransactionConfig(responseTimeout, joinWindow, maxOpenRequestsPerConnection,
                maxConnectionsPerTask, value);
    }

    long responseTimeoutMs() {
        return responseTimeout.toMillis();
    }

    long joinWindowMs() {
        return joinWindow.toMillis();
    }
}
