package io.headerlog.testing;

/**
 * Cleanup that must also happen when the test JVM is stopped from outside (Ctrl-C on the build, a
 * killed fork), where no close() or finally runs: a shutdown hook from {@link #register} until
 * {@link #close}, which the owner calls once it has cleaned up itself.
 */
public final class ExitCleanup implements AutoCloseable {
    private final Thread hook;

    private ExitCleanup(Thread hook) {
        this.hook = hook;
    }

    /** Runs {@code action} at JVM exit unless {@link #close()} comes first. */
    public static ExitCleanup register(String name, Runnable action) {
        Thread hook = new Thread(action, name);
        Runtime.getRuntime().addShutdownHook(hook);
        return new ExitCleanup(hook);
    }

    /** Unregisters the action; while the JVM is already shutting down the hook runs anyway. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting and runs the hook itself
        }
    }
}
