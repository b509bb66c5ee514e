package io.headerlog.collector.bpf;

/** A network interface of one namespace: its index there and its name. */
public record NetInterface(int index, String name) {
    public NetInterface {
        if (index <= 0) {
            throw new IllegalArgumentException("interface index must be positive, got " + index);
        }
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("interface name must not be empty");
        }
    }
}
