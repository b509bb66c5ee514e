package io.headerlog.collector.pipeline;

import io.headerlog.collector.bpf.KernelCounters;
import io.headerlog.collector.sink.RecordSink;
import io.headerlog.schema.CollectorStats;
import java.util.List;

/** Builds the CollectorStats record from the kernel counters and the collector's own. */
public final class StatsSnapshot {
    private StatsSnapshot() {}

    public static CollectorStats of(String host, long startedAtNs, long nowNs, List<String> interfaces,
                                    KernelCounters kernel, RecordPump pump, RecordSink sink) {
        return CollectorStats.newBuilder()
                .setHost(host)
                .setStartedAtNs(startedAtNs)
                .setTimeNs(nowNs)
                .setInterfaces(interfaces)
                .setPacketsSeen(kernel.seen())
                .setRecordsSubmitted(kernel.submitted())
                .setRingBufferFull(kernel.ringbufFull())
                .setLoadFailures(kernel.loadFailed())
                .setTruncatedHeaders(kernel.truncated())
                .setSnapCut(kernel.snapCut())
                .setL7Starts(kernel.l7Start())
                .setFiltered(kernel.filtered())
                .setSampledOut(kernel.sampledOut())
                .setFlowTableFull(kernel.flowTableFull())
                .setL7Follows(kernel.l7Follow())
                .setRecordsRead(pump.read())
                .setExtraMessageRecords(pump.extraMessageRecords())
                .setHttpMessages(pump.applicationCounters().http())
                .setDnsMessages(pump.applicationCounters().dns())
                .setTlsHellos(pump.applicationCounters().tls())
                .setReassembledMessages(pump.applicationCounters().reassembled())
                .setTruncatedMessages(pump.applicationCounters().truncated())
                .setReassemblyEvictions(pump.applicationCounters().evicted())
                .setDecodeErrors(pump.decodeErrors())
                .setRecordsPublished(sink.published())
                .setPublishErrors(sink.errors())
                .build();
    }

    /** One line for logs: what was seen, kept and lost. */
    public static String summary(CollectorStats s) {
        return String.format("seen %d, filtered %d, sampled out %d, submitted %d, ring full %d, read %d, decode errors %d,"
                        + " published %d, publish errors %d, flows %d",
                s.getPacketsSeen(), s.getFiltered(), s.getSampledOut(), s.getRecordsSubmitted(), s.getRingBufferFull(),
                s.getRecordsRead(), s.getDecodeErrors(), s.getRecordsPublished(), s.getPublishErrors(),
                s.getFlowsExported());
    }
}
