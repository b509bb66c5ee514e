package io.headerlog.collector.sink;

import io.headerlog.json.AvroJson;
import io.headerlog.schema.CollectorStats;
import io.headerlog.schema.FlowSummary;
import io.headerlog.schema.PacketHeader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * tcpdump-like output: one JSON object per line, field names as in the Avro schema, written to a
 * stream (stdout). Counter snapshots are not mixed into the record stream; the collector reports
 * them on stderr instead.
 */
public final class JsonLinesSink implements RecordSink {
    private final Writer out;
    private final StringBuilder line = new StringBuilder(1024);
    private long published;
    private long errors;
    private boolean broken;

    public JsonLinesSink(OutputStream stream) {
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
    }

    @Override
    public void publish(String key, PacketHeader header) {
        if (broken) {
            errors++;
            return;
        }
        line.setLength(0);
        AvroJson.append(line, header).append('\n');
        try {
            out.append(line);
            published++;
        } catch (IOException e) {
            // a closed pipe (| head) ends the output, not the capture accounting
            broken = true;
            errors++;
        }
    }

    @Override
    public void publishStats(CollectorStats stats) {
        // stdout carries only packet records; stats go to the log
    }

    @Override
    public void publishFlow(FlowSummary flow) {
        // stdout carries only packet records (like tcpdump); flows go to Kafka
    }

    @Override
    public void flush() {
        if (broken) {
            return;
        }
        try {
            out.flush();
        } catch (IOException e) {
            broken = true;
        }
    }

    @Override
    public long published() {
        return published;
    }

    @Override
    public long errors() {
        return errors;
    }

    /** True once the output stream failed (e.g. the reader of the pipe went away). */
    public boolean isBroken() {
        return broken;
    }

    @Override
    public String lastError() {
        return broken ? "standard output was closed" : null;
    }

    @Override
    public void close() {
        flush();
    }

}
