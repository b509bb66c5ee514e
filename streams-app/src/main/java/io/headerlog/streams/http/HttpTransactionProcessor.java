package io.headerlog.streams.http;

import io.headerlog.schema.EnrichedHeader;
import io.headerlog.schema.HttpTransaction;
import io.headerlog.streams.state.DeadlineIndex;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns the enriched stream's HTTP records into HttpTransaction records: per connection (the record
 * key, a Community ID shared by every host's records of the flow, so one task sees all of them),
 * pairs each observer's requests and responses and joins the client's and the server's views
 * ({@link ConnectionState}). State lives in a changelogged store keyed by Community ID, so it
 * survives a restart or rebalance; a connection's entry is deleted as soon as nothing is in flight.
 *
 * <p>Time is stream time throughout: a stream-time punctuator closes response timeouts and join
 * windows, and a record further behind stream time than the response timeout is counted late and
 * skipped (what it could pair with has been reported already).
 */
final class HttpTransactionProcessor implements Processor<String, EnrichedHeader, String, HttpTransaction> {
    private final HttpTransactionConfig config;
    private final HttpCounters counters;
    private final String storeName;
    private ProcessorContext<String, HttpTransaction> context;
    private KeyValueStore<String, ConnectionState> store;
    private DeadlineIndex index;

    HttpTransactionProcessor(HttpTransactionConfig config, HttpCounters counters, String storeName) {
        this.config = config;
        this.counters = counters;
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, HttpTransaction> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.index = new DeadlineIndex();
        // the store has been restored before init: index what it holds (bounded by maxConnectionsPerTask)
        try (KeyValueIterator<String, ConnectionState> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, ConnectionState> kv = all.next();
                index.put(kv.key, kv.value.nextDeadlineMs());
            }
        }
        context.schedule(config.expiryInterval(), PunctuationType.STREAM_TIME, this::expire);
    }

    @Override
    public void process(Record<String, EnrichedHeader> record) {
        EnrichedHeader e = record.value();
        if (e == null || record.key() == null || e.getHeader().getHttp() == null) {
            return; // not an HTTP message: nothing to pair
        }
        Optional<HttpMessage> message = HttpMessage.of(e);
        if (message.isEmpty()) {
            counters.recordUnusable();
            return;
        }
        long now = context.currentStreamTimeMs();
        if (record.timestamp() < now - config.responseTimeoutMs()) {
            counters.recordLateRecord();
            return;
        }
        String key = record.key();
        ConnectionState state = store.get(key);
        boolean fresh = state == null;
        if (fresh) {
            state = new ConnectionState();
        }
        List<Transaction> out = state.apply(message.get(), record.timestamp(), now, config, counters);
        if (fresh && !state.isEmpty()) {
            makeRoom(); // only a connection that will be stored takes a place (not, say, an orphan response)
        }
        save(key, state);
        emit(key, out, record.timestamp());
    }

    private void expire(long now) {
        for (String key : index.due(now)) {
            ConnectionState state = store.get(key);
            if (state == null) {
                index.remove(key);
                continue;
            }
            List<Transaction> out = state.expire(now, config, counters);
            save(key, state);
            emit(key, out, now);
        }
    }

    /** Evicts the connection whose state would expire soonest while the task is at its bound. */
    private void makeRoom() {
        while (index.size() >= config.maxConnectionsPerTask()) {
            String victim = index.earliest();
            ConnectionState old = store.get(victim);
            if (old != null) {
                counters.recordEvictedViews(old.pendingViews());
                counters.recordEvictedRequests(old.openRequests());
            }
            store.delete(victim);
            index.remove(victim);
            counters.recordEvictedConnection();
        }
    }

    private void save(String key, ConnectionState state) {
        if (state.isEmpty()) {
            store.delete(key);
            index.remove(key);
        } else {
            store.put(key, state);
            index.put(key, state.nextDeadlineMs());
        }
    }

    private void emit(String key, List<Transaction> out, long timestampMs) {
        for (Transaction t : out) {
            context.forward(new Record<>(key, TransactionRecords.toAvro(key, t), timestampMs));
        }
    }
}
