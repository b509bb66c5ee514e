package io.headerlog.it.l7;

import io.headerlog.testing.Host;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/** Waits until a server in a test host accepts TCP connections. */
final class Listening {
    private Listening() {
    }

    /**
     * Connects from inside the server's own namespace, so the probe goes over its loopback and no
     * packet of it reaches the veth that captures watch.
     */
    static void await(Host host, NamespaceProcess server, InetAddress address, int port, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean up = host.call(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(address, port), 500);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
            if (up) {
                return;
            }
            if (!server.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError(server.describe() + " is not listening on " + address.getHostAddress()
                        + " port " + port + (server.isAlive() ? " after " + timeout : " (it exited)")
                        + "; its output:\n" + String.join("\n", server.output()));
            }
            Thread.sleep(50);
        }
    }
}
