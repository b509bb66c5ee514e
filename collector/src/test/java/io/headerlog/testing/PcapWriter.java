package io.headerlog.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes Ethernet frames as a classic pcap file, for dissection by tshark/tcpdump as an oracle. */
public final class PcapWriter {
    private PcapWriter() {}

    private static final int MAGIC = 0xa1b2c3d4;
    private static final int LINKTYPE_ETHERNET = 1;

    public static void write(Path file, List<byte[]> frames) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(MAGIC).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(LINKTYPE_ETHERNET);
            out.write(header.array());
            int second = 1;
            for (byte[] frame : frames) {
                ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
                record.putInt(second++).putInt(0).putInt(frame.length).putInt(frame.length);
                out.write(record.array());
                out.write(frame);
            }
        }
    }
}
