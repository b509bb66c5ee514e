package io.headerlog.collector.l7;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds DNS messages the way a server does, including name compression: every name suffix written
 * is remembered and later occurrences become pointers to it (RFC 1035 4.1.4).
 */
final class DnsMessage {
    static final int QR = 0x8000;
    static final int AA = 0x0400;
    static final int TC = 0x0200;
    static final int RD = 0x0100;
    static final int RA = 0x0080;
    static final int AD = 0x0020;

    private final Wire w = new Wire();
    private final Map<String, Integer> suffixes = new HashMap<>();
    private final List<Integer> nameOffsets = new ArrayList<>();
    private final boolean compress;
    private int qd;
    private int an;
    private int ar;

    DnsMessage(int id, int flags) {
        this(id, flags, true);
    }

    DnsMessage(int id, int flags, boolean compress) {
        this.compress = compress;
        w.u16(id).u16(flags).u16(0).u16(0).u16(0).u16(0);
        for (int at = 4; at < 12; at += 2) {
            w.markLength(at, 2);
        }
    }

    DnsMessage question(String name, int type, int qclass) {
        name(name);
        w.u16(type).u16(qclass);
        qd++;
        return this;
    }

    DnsMessage answer(String name, int type, long ttl, byte[] rdata) {
        name(name);
        w.u16(type).u16(1).u32(ttl);
        int len = w.open(2);
        w.bytes(rdata);
        w.close(len);
        an++;
        return this;
    }

    DnsMessage answerAddress(String name, long ttl, String address) throws Exception {
        byte[] a = InetAddress.getByName(address).getAddress();
        return answer(name, a.length == 4 ? 1 : 28, ttl, a);
    }

    /** CNAME, NS or PTR: the rdata is a (compressed) name. */
    DnsMessage answerName(String name, int type, long ttl, String target) {
        name(name);
        w.u16(type).u16(1).u32(ttl);
        int len = w.open(2);
        name(target);
        w.close(len);
        an++;
        return this;
    }

    /** The EDNS(0) OPT pseudo-record dig and dnsmasq add to the additional section. */
    DnsMessage opt(int udpPayloadSize) {
        w.u8(0).u16(41).u16(udpPayloadSize).u32(0);
        w.close(w.open(2));
        ar++;
        return this;
    }

    Sample build(String label) {
        w.set16(4, qd);
        w.set16(6, an);
        w.set16(10, ar);
        return new Sample(label, w.toBytes(), w.lengthFields(), nameOffsets.stream().mapToInt(Integer::intValue).toArray());
    }

    private void name(String name) {
        nameOffsets.add(w.size());
        if (name.equals(".")) {
            w.u8(0);
            return;
        }
        String[] labels = name.split("\\.");
        for (int i = 0; i < labels.length; i++) {
            String suffix = String.join(".", java.util.Arrays.copyOfRange(labels, i, labels.length));
            Integer at = compress ? suffixes.get(suffix) : null;
            if (at != null) {
                w.u16(0xc000 | at);
                return;
            }
            if (w.size() < 0x4000) {
                suffixes.put(suffix, w.size());
            }
            w.u8(labels[i].length()).ascii(labels[i]);
        }
        w.u8(0);
    }
}
