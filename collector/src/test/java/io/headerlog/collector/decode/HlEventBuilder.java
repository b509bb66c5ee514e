package io.headerlog.collector.decode;

import static io.headerlog.collector.bpf.EventLayout.*;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Writes a struct hl_event the way capture.bpf.c does, for decoder tests without a kernel. */
final class HlEventBuilder {
    private final ByteBuffer b;
    private int snap;

    HlEventBuilder() {
        b = ByteBuffer.allocate(SIZE + 512).order(ByteOrder.nativeOrder());
    }

    HlEventBuilder u8(int at, int v) { b.put(at, (byte) v); return this; }
    HlEventBuilder u16(int at, int v) { b.putShort(at, (short) v); return this; }
    HlEventBuilder u32(int at, long v) { b.putInt(at, (int) v); return this; }
    HlEventBuilder u64(int at, long v) { b.putLong(at, v); return this; }

    HlEventBuilder addrs(String src, String dst) throws Exception {
        byte[] s = InetAddress.getByName(src).getAddress();
        byte[] d = InetAddress.getByName(dst).getAddress();
        b.put(IP_SRC, s);
        b.put(IP_DST, d);
        return u8(IP_VERSION, s.length == 4 ? 4 : 6);
    }

    HlEventBuilder macs(byte[] src, byte[] dst) {
        b.put(ETH_SRC, src);
        b.put(ETH_DST, dst);
        return this;
    }

    HlEventBuilder payload(byte[] p) {
        b.put(PAYLOAD, p);
        snap = p.length;
        return u16(SNAP_LEN, p.length);
    }

    int length() {
        return SIZE + snap;
    }

    ByteBuffer buffer() {
        return b;
    }
}
