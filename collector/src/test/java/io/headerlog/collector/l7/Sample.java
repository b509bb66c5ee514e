package io.headerlog.collector.l7;

import java.nio.ByteBuffer;

/**
 * A valid protocol message for tests, with the offsets of its length fields (offset * 4 + width)
 * and of its DNS names, which the fuzz test's mutations aim at.
 */
record Sample(String label, byte[] bytes, int[] lengthFields, int[] nameOffsets) {
    static Sample of(String label, byte[] bytes) {
        return new Sample(label, bytes, new int[0], new int[0]);
    }

    ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes);
    }
}
