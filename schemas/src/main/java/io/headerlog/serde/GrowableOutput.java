package io.headerlog.serde;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * An unsynchronized, reusable byte sink (ByteArrayOutputStream synchronizes every write). One per
 * thread; the first {@link ConfluentWireFormat#HEADER_LENGTH} bytes are reserved for the header so
 * the final message is one copy of the buffer.
 */
final class GrowableOutput extends OutputStream {

    private byte[] buffer = new byte[1024];
    private int size;

    void resetAfterHeader() {
        size = ConfluentWireFormat.HEADER_LENGTH;
    }

    @Override
    public void write(int b) {
        ensure(1);
        buffer[size++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
    }

    byte[] toMessage(int schemaId) {
        ConfluentWireFormat.writeHeader(buffer, schemaId);
        return Arrays.copyOf(buffer, size);
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
