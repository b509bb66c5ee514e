package io.headerlog.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: byte 0 is the magic byte 0, bytes 1–4 the big-endian schema id, then
 * the Avro binary encoding of the value.
 */
public final class ConfluentWireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_LENGTH = 5;

    private ConfluentWireFormat() {
    }

    /**
     * The schema id of a Confluent-framed message.
     *
     * @throws SerializationException if the bytes are too short or do not start with the magic byte
     */
    public static int schemaId(byte[] message, String topic) {
        if (message.length < HEADER_LENGTH) {
            throw new SerializationException("Record of topic " + topic + " has " + message.length
                    + " bytes, fewer than the 5-byte Confluent header (magic byte + schema id); it was not written by an"
                    + " Avro serializer of the Confluent wire format");
        }
        if (message[0] != MAGIC_BYTE) {
            throw new SerializationException("Record of topic " + topic + " starts with byte " + (message[0] & 0xff)
                    + ", not the Confluent magic byte 0; it was not written in the Confluent wire format"
                    + " (plain Avro, JSON or another serializer?)");
        }
        return ((message[1] & 0xff) << 24) | ((message[2] & 0xff) << 16) | ((message[3] & 0xff) << 8)
                | (message[4] & 0xff);
    }

    static void writeHeader(byte[] target, int schemaId) {
        target[0] = MAGIC_BYTE;
        target[1] = (byte) (schemaId >>> 24);
        target[2] = (byte) (schemaId >>> 16);
        target[3] = (byte) (schemaId >>> 8);
        target[4] = (byte) schemaId;
    }
}
