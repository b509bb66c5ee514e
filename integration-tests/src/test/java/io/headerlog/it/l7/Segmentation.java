package io.headerlog.it.l7;

import io.headerlog.testing.Host;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a host's TCP sends GSO super-packets. On a veth a multi-KB write normally crosses as ONE
 * skb (one record, one tshark frame); with {@code gso_max_segs 1} the sender's stack cuts it into
 * MSS-sized wire packets, so a header block really arrives in several TCP segments and headerlog
 * must reassemble it. Applies to connections opened after the change.
 */
final class Segmentation implements AutoCloseable {
    private static final Pattern GSO_MAX_SEGS = Pattern.compile("gso_max_segs (\\d+)");

    private final Host host;
    private final String ifName;
    private final String original;

    private Segmentation(Host host, String ifName, String original) {
        this.host = host;
        this.ifName = ifName;
        this.original = original;
    }

    /** Turns GSO off on the host's first veth end until {@link #close}. */
    static Segmentation oneWirePacketPerSkb(Host host) {
        String ifName = host.endpoint().name();
        String details = host.execOrThrow("ip", "-d", "link", "show", "dev", ifName).stdout();
        Matcher m = GSO_MAX_SEGS.matcher(details);
        if (!m.find()) {
            throw new IllegalStateException("`ip -d link show " + ifName + "` shows no gso_max_segs: " + details);
        }
        host.execOrThrow("ip", "link", "set", "dev", ifName, "gso_max_segs", "1");
        return new Segmentation(host, ifName, m.group(1));
    }

    @Override
    public void close() {
        host.execOrThrow("ip", "link", "set", "dev", ifName, "gso_max_segs", original);
    }
}
