package io.headerlog.collector;

/**
 * SIGINT/SIGTERM handlers that ask for a normal stop instead of the JVM's default of running the
 * shutdown hooks and exiting with 128 + signal. sun.misc.Signal is the only JDK 17 API for this
 * (jdk.unsupported, kept for exactly such uses).
 */
final class StopSignals {
    private StopSignals() {}

    @SuppressWarnings("removal")
    static void onInterruptOrTerminate(Runnable stop) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> stop.run());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // signal not available here (e.g. already used by the JVM): the shutdown hook still stops cleanly
            }
        }
    }
}
