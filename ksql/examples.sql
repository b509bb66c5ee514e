-- Example queries over the sources of 00-sources.sql. Paste them into the CLI:
--   docker compose exec ksqldb-cli ksql http://ksqldb-server:8088
-- Push queries (EMIT CHANGES) run until Ctrl-C and print each window as it changes; pull queries
-- (no EMIT CHANGES, on the SOURCE tables) answer once. ksqlDB has no ORDER BY: "top" and "slowest"
-- rows are the ones a HAVING keeps or the ones you sort yourself.
-- Windows are on ROWTIME, the time each record was produced (close to capture time for headers;
-- flows.raw records are produced when a flow goes idle or hits the active timeout).
-- deploy/ (KsqlFilesTest) checks every column named here against the Avro schemas.

-- Read each topic from its beginning, not only what arrives from now on.
SET 'auto.offset.reset' = 'earliest';

-- Top talkers: bytes each source address sent per minute and observing host. flows.raw carries the
-- kernel's exact counters (before any sampling); egress only, so a packet counts once per host.
SELECT host, src, SUM(bytes) AS bytes_sent, SUM(packets) AS packets_sent, COUNT_DISTINCT(dst) AS peers
  FROM flows_raw WINDOW TUMBLING (SIZE 1 MINUTE)
  WHERE direction = 'egress'
  GROUP BY host, src
  HAVING SUM(bytes) > 1000000
  EMIT CHANGES;

-- Slowest HTTP endpoints per server host: time spent at and behind the server (serverTimeNs, on
-- the server side's own clock, so no clock alignment is involved), per method and target.
SELECT server->host AS server_host, method, target, COUNT(*) AS requests,
       AVG(serverTimeNs) / 1000000 AS avg_server_ms,
       MAX(serverTimeNs) / 1000000 AS max_server_ms,
       AVG(clientLatencyNs) / 1000000 AS avg_client_ms
  FROM http_transactions WINDOW TUMBLING (SIZE 5 MINUTES)
  WHERE server IS NOT NULL AND serverTimeNs IS NOT NULL
  GROUP BY server->host, method, target
  EMIT CHANGES;

-- HTTP responses per status code, Host header and minute.
SELECT COALESCE(host, '-') AS http_host, statusCode, COUNT(*) AS responses
  FROM http_transactions WINDOW TUMBLING (SIZE 1 MINUTE)
  WHERE answered
  GROUP BY COALESCE(host, '-'), statusCode
  EMIT CHANGES;

-- Error rate per Host header and minute: 5xx responses and unanswered requests among all.
SELECT COALESCE(host, '-') AS http_host, COUNT(*) AS transactions,
       SUM(CASE WHEN statusCode >= 500 THEN 1 ELSE 0 END) AS server_errors,
       SUM(CASE WHEN statusCode >= 400 AND statusCode < 500 THEN 1 ELSE 0 END) AS client_errors,
       SUM(CASE WHEN answered THEN 0 ELSE 1 END) AS unanswered,
       CAST(SUM(CASE WHEN NOT answered THEN 1 WHEN statusCode >= 500 THEN 1 ELSE 0 END) AS DOUBLE)
         / COUNT(*) AS error_rate
  FROM http_transactions WINDOW TUMBLING (SIZE 1 MINUTE)
  GROUP BY COALESCE(host, '-')
  EMIT CHANGES;

-- Clock offset per host against the reference host (pull query: the newest estimate of each).
SELECT host_id, reference,
       CAST(offsetNs AS DOUBLE) / 1000000 AS offset_ms,
       CAST(errorBoundNs AS DOUBLE) / 1000000 AS error_bound_ms,
       driftPpm, samples, steps
  FROM clock_offsets;

-- The same, as the estimates change.
SELECT host_id, CAST(offsetNs AS DOUBLE) / 1000000 AS offset_ms,
       CAST(errorBoundNs AS DOUBLE) / 1000000 AS error_bound_ms
  FROM clock_offsets EMIT CHANGES;

-- One-way delay per hop. A persistent stream with one row per hop of each correlated packet
-- (run this CREATE once; it keeps running on the server) ...
CREATE STREAM IF NOT EXISTS packet_hops AS
  SELECT flow_id, clockReference, EXPLODE(hops) AS hop
  FROM packets_correlated
  EMIT CHANGES;

-- ... then the delay between each pair of hosts per minute, on aligned clocks (errorNs is the
-- bound from both hosts' clock models; in-host hops are a router's forwarding time).
SELECT hop->fromHost AS from_host, hop->toHost AS to_host, COUNT(*) AS packets,
       AVG(hop->delayNs) / 1000 AS avg_delay_us,
       MIN(hop->delayNs) / 1000 AS min_delay_us,
       MAX(hop->errorNs) / 1000 AS max_error_us
  FROM packet_hops WINDOW TUMBLING (SIZE 1 MINUTE)
  WHERE hop->kind = 'link' AND hop->delayNs IS NOT NULL
  GROUP BY hop->fromHost, hop->toHost
  EMIT CHANGES;

-- One-way delays of HTTP requests and responses between client and server host.
SELECT client->host AS client_host, server->host AS server_host, COUNT(*) AS transactions,
       AVG(requestOneWayDelayNs) / 1000 AS avg_request_delay_us,
       AVG(responseOneWayDelayNs) / 1000 AS avg_response_delay_us,
       AVG(networkTimeNs) / 1000 AS avg_network_time_us
  FROM http_transactions WINDOW TUMBLING (SIZE 1 MINUTE)
  WHERE requestOneWayDelayNs IS NOT NULL
  GROUP BY client->host, server->host
  EMIT CHANGES;

-- Loss per collector (pull query, cumulative since each collector started): packets the kernel
-- could not hand over (ring buffer full), packets of new flows the flow table had no room for,
-- records that failed to decode or to publish, and the share of packets seen that were lost.
SELECT host_id, packetsSeen, ringBufferFull, flowTableFull, decodeErrors, publishErrors,
       CASE WHEN packetsSeen > 0
            THEN CAST(ringBufferFull + publishErrors AS DOUBLE) / packetsSeen
            ELSE CAST(0 AS DOUBLE) END AS lost_share
  FROM collector_stats;

-- The streams app's view: records in, dead letters, the share of records with an aligned time,
-- and how often packets and HTTP views found their counterpart at another host.
SELECT instance_key, records->recordsIn AS records_in, records->deadLetters AS dead_letters,
       records->alignedShare AS aligned_share, correlation->matchRate AS packet_match_rate,
       http->matchRate AS http_join_rate
  FROM streams_stats;

-- Sampled estimates next to the kernel's exact counts, per flow, direction and window.
SELECT host, src, dst, dstPort, estimatedPackets, estimatedPacketsError, exactPackets
  FROM flows_summary
  WHERE exactFlowRecords > 0
  EMIT CHANGES;

-- TLS server names as clients ask for them (nested fields of the enriched header).
SELECT header->host AS observer, header->ip->src AS client, header->tls->sni AS sni,
       header->tls->alpn AS alpn
  FROM headers_enriched
  WHERE header->tls->sni IS NOT NULL
  EMIT CHANGES;
