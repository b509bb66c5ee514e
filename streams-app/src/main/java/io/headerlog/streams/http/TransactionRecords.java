package io.headerlog.streams.http;

import io.headerlog.schema.HttpObserverView;
import io.headerlog.schema.HttpTransaction;
import io.headerlog.schema.TraceContext;
import java.util.ArrayList;

/** {@link Transaction} → the published {@link HttpTransaction} record. */
final class TransactionRecords {
    private TransactionRecords() {
    }

    static HttpTransaction toAvro(String communityId, Transaction t) {
        ObserverView primary = t.primary();
        RequestInfo request = primary.request();
        ObserverView client = t.client();
        ObserverView server = t.server();
        Long clientLatency = client == null ? null : client.latencyNs();
        Long serverTime = server == null ? null : server.latencyNs();
        HttpTransaction.Builder b = HttpTransaction.newBuilder()
                .setCommunityId(communityId)
                .setKind(t.kind().label)
                .setJoinedBy(t.joinedBy() == null ? null : t.joinedBy().label)
                .setRequestOrdinal(primary.ordinal())
                .setMethod(request.method())
                .setTarget(request.target())
                .setHost(request.host())
                .setRequestId(request.requestId())
                .setTraceparent(trace(request.trace()))
                .setAnswered(primary.answered())
                .setStatusCode(primary.statusCode())
                .setReason(primary.reason())
                .setClient(view(client))
                .setServer(view(server))
                .setClientLatencyNs(clientLatency)
                .setServerTimeNs(serverTime)
                // each latency is a difference on one host's clock: their difference needs no alignment
                .setNetworkTimeNs(clientLatency != null && serverTime != null ? clientLatency - serverTime : null)
                .setMiddleObservers(new ArrayList<>(t.middleHosts()));
        if (client != null && server != null) {
            oneWay(b, client, server);
        }
        return b.build();
    }

    /** One-way delays need both ends on the reference clock; otherwise they stay null. */
    private static void oneWay(HttpTransaction.Builder b, ObserverView client, ObserverView server) {
        Stamp sent = client.requestStamp();
        Stamp arrived = server.requestStamp();
        if (sent.aligned() && arrived.aligned()) {
            b.setRequestOneWayDelayNs(arrived.alignedNs() - sent.alignedNs());
            b.setRequestOneWayDelayErrorNs(sent.clockErrorNs() + arrived.clockErrorNs());
        }
        Stamp answered = server.responseStamp();
        Stamp heard = client.responseStamp();
        if (answered != null && heard != null && answered.aligned() && heard.aligned()) {
            b.setResponseOneWayDelayNs(heard.alignedNs() - answered.alignedNs());
            b.setResponseOneWayDelayErrorNs(answered.clockErrorNs() + heard.clockErrorNs());
        }
    }

    private static HttpObserverView view(ObserverView v) {
        if (v == null) {
            return null;
        }
        Stamp req = v.requestStamp();
        Stamp resp = v.responseStamp();
        String reference = req.clockReference() != null ? req.clockReference()
                : resp != null ? resp.clockReference() : null;
        return HttpObserverView.newBuilder()
                .setHost(v.observer().host())
                .setIfName(v.observer().ifName())
                .setRequestDirection(v.observer().requestDirection())
                .setRequestOrdinal(v.ordinal())
                .setRequestTimeNs(req.wallNs())
                .setResponseTimeNs(resp == null ? null : resp.wallNs())
                .setLatencyNs(v.latencyNs())
                .setRequestAlignedTimeNs(req.alignedNs())
                .setRequestClockErrorNs(req.clockErrorNs())
                .setResponseAlignedTimeNs(resp == null ? null : resp.alignedNs())
                .setResponseClockErrorNs(resp == null ? null : resp.clockErrorNs())
                .setClockReference(reference)
                .build();
    }

    private static TraceContext trace(Trace t) {
        return t == null ? null : TraceContext.newBuilder().setVersion(t.version()).setTraceId(t.traceId())
                .setParentId(t.parentId()).setFlags(t.flags()).build();
    }
}
