-- Streams and tables over every topic the headerlog apps write. docker-compose.yml's ksql-init
-- service runs this file (`ksql --file`) once ksqlDB is up; it only declares sources, so running it
-- again changes nothing (IF NOT EXISTS).
--
-- The value columns come from the schema registry (schema inference: VALUE_FORMAT='AVRO' and no
-- value column declared); only the key is declared, because the record key is a plain string
-- (KEY_FORMAT='KAFKA'). ksqlDB upper-cases the inferred field names and reaches nested fields with
-- ->: PacketHeader's ip.src is HEADER->IP->SRC in headers_enriched. The key columns are named apart
-- from the value fields they repeat (a value field HOST and a key HOST would clash).
-- headers.raw.dlq is left out: its records are the ones that could not be decoded.
--
-- deploy/ (KsqlFilesTest) checks every topic named here against io.headerlog.topics.Topics and
-- every column used in ksql/*.sql against the Avro schemas.

-- Keyed by the flow's Community ID (null for non-IP packets).
CREATE STREAM IF NOT EXISTS headers_raw (flow_id STRING KEY)
  WITH (KAFKA_TOPIC = 'headers.raw', KEY_FORMAT = 'KAFKA', VALUE_FORMAT = 'AVRO');

CREATE STREAM IF NOT EXISTS headers_enriched (flow_id STRING KEY)
  WITH (KAFKA_TOPIC = 'headers.enriched', KEY_FORMAT = 'KAFKA', VALUE_FORMAT = 'AVRO');

CREATE STREAM IF NOT EXISTS flows_raw (flow_id STRING KEY)
  WITH (KAFKA_TOPIC = 'flows.raw', KEY_FORMAT = 'KAFKA', VALUE_FORMAT = 'AVRO');

CREATE STREAM IF NOT EXISTS flows_summary (flow_id STRING KEY)
  WITH (KAFKA_TOPIC = 'flows.summary', KEY_FORMAT = 'KAFKA', VALUE_FORMAT = 'AVRO');

CREATE STREAM IF NOT EXISTS packets_correlated (flow_id STRING KEY)
  WITH (KAFKA_TOPIC = 'packets.correlated', KEY_FORMAT = 'KAFKA', VALUE_FORMAT = 'AVRO');

CREATE STREAM IF NOT EXISTS http_transactions (flow_id STRING KEY)
  WITH (KAFKA_TOPIC = 'http.transactions', KEY_FORMAT = 'KAFKA', VALUE_FORMAT = 'AVRO');

-- Snapshots keyed by host (collectors, clock model) or by applicationId/instanceId (streams app):
-- the newest one per key is what matters, so these are tables. SOURCE tables are materialized by
-- ksqlDB, so pull queries (no EMIT CHANGES) answer from them at once.
CREATE SOURCE TABLE IF NOT EXISTS collector_stats (host_id STRING PRIMARY KEY)
  WITH (KAFKA_TOPIC = 'collector.stats', KEY_FORMAT = 'KAFKA', VALUE_FORMAT = 'AVRO');

CREATE SOURCE TABLE IF NOT EXISTS clock_offsets (host_id STRING PRIMARY KEY)
  WITH (KAFKA_TOPIC = 'clock.offsets', KEY_FORMAT = 'KAFKA', VALUE_FORMAT = 'AVRO');

CREATE SOURCE TABLE IF NOT EXISTS streams_stats (instance_key STRING PRIMARY KEY)
  WITH (KAFKA_TOPIC = 'streams.stats', KEY_FORMAT = 'KAFKA', VALUE_FORMAT = 'AVRO');
