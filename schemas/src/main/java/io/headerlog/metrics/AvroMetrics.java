package io.headerlog.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * A stats record's numbers as Prometheus metrics, read from the newest record at scrape time (the
 * record an app publishes to its stats topic every interval), so the endpoint and the topic never
 * disagree, and a counter added to the schema shows up here without a second list to maintain.
 *
 * <p>Every {@code long} field is a cumulative counter {@code <prefix><field>_total} (camelCase to
 * snake_case, the field's Avro doc as help) unless it is named in {@code gauges} (a current value
 * such as open windows); {@code int} and {@code double} fields are gauges; fields of a nested record
 * (a group such as {@code correlation}) are named {@code <prefix><group>_<field>}; the top-level
 * times ({@code timeNs}, {@code startedAtNs}) become gauges in seconds
 * ({@code <prefix>stats_timestamp_seconds}: a stale value means a stalled loop). Each sample carries
 * one label taken from a string field of the record (the host, the instance).
 */
public final class AvroMetrics {

    /** Epoch-ns fields exported as gauges in seconds, with the metric name each gets. */
    private static final java.util.Map<String, String> TIMES = java.util.Map.of(
            "timeNs", "stats_timestamp_seconds", "startedAtNs", "started_at_seconds");

    private AvroMetrics() {}

    /**
     * Registers one metric per number field of {@code schema} in {@code registry}; {@code latest} may
     * return null before the first record (then the metrics have no samples).
     *
     * @param labelField the top-level string field whose value labels every sample, exported as label {@code labelName}
     * @param gauges     long fields (by name, "group.field" inside a group) that are current values, not counters
     */
    public static void register(PrometheusRegistry registry, String prefix, Schema schema, Supplier<? extends GenericRecord> latest,
            String labelField, String labelName, Set<String> gauges) {
        register(registry, prefix, List.of(), schema, latest, labelField, labelName, gauges);
    }

    /** {@code path}: the group fields from the root record down to {@code schema}'s record. */
    private static void register(PrometheusRegistry registry, String prefix, List<String> path, Schema schema,
            Supplier<? extends GenericRecord> latest, String labelField, String labelName, Set<String> gauges) {
        String group = path.stream().map(g -> g + ".").collect(Collectors.joining());
        for (Schema.Field field : schema.getFields()) {
            String name = field.name();
            Schema nested = recordType(field.schema());
            if (nested != null) {
                List<String> inner = new ArrayList<>(path);
                inner.add(name);
                register(registry, prefix, List.copyOf(inner), nested, latest, labelField, labelName, gauges);
                continue;
            }
            Schema.Type type = numberType(field.schema());
            if (type == null) {
                continue;
            }
            String help = field.doc() == null || field.doc().isBlank() ? name : field.doc();
            boolean time = group.isEmpty() && TIMES.containsKey(name);
            String metric = prefix + (time ? TIMES.get(name) : metricName(group, name));
            double scale = time ? 1e-9 : 1;
            // one read of the newest record per sample: its value and its label come from the same record
            Consumer<BiConsumer<Double, String>> sample = cb -> {
                GenericRecord root = latest.get();
                read(within(root, path), name).ifPresent(v -> cb.accept(v * scale, label(root, labelField)));
            };
            if (time || type != Schema.Type.LONG || gauges.contains(group + name)) {
                GaugeWithCallback.builder().name(metric)
                        .help(help).labelNames(labelName)
                        .callback(cb -> sample.accept((v, l) -> cb.call(v, l)))
                        .register(registry);
            } else {
                CounterWithCallback.builder().name(metric).help(help).labelNames(labelName)
                        .callback(cb -> sample.accept((v, l) -> cb.call(v, l)))
                        .register(registry);
            }
        }
    }

    /** The record at {@code path} below {@code root}; null when any step is missing. */
    private static GenericRecord within(GenericRecord root, List<String> path) {
        GenericRecord r = root;
        for (String step : path) {
            if (r == null) {
                return null;
            }
            r = (GenericRecord) r.get(step);
        }
        return r;
    }

    /** The record schema of a record field, also inside a ["null", …] union; null for anything else. */
    private static Schema recordType(Schema s) {
        if (s.getType() == Schema.Type.UNION) {
            return s.getTypes().stream().filter(b -> b.getType() == Schema.Type.RECORD).findFirst().orElse(null);
        }
        return s.getType() == Schema.Type.RECORD ? s : null;
    }

    /**
     * group "correlation." + matchRate → correlation_match_rate; a field that already starts with its
     * group's name keeps it once (records.recordsIn → records_in).
     */
    static String metricName(String group, String field) {
        String f = snake(field);
        if (group.isEmpty()) {
            return f;
        }
        String g = snake(group.substring(0, group.length() - 1).replace('.', '_'));
        return f.startsWith(g + "_") ? f : g + "_" + f;
    }

    /** packetsSeen → packets_seen. */
    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /** LONG, INT or DOUBLE for a number field, also inside a ["null", …] union; null for anything else. */
    private static Schema.Type numberType(Schema s) {
        if (s.getType() == Schema.Type.UNION) {
            for (Schema branch : s.getTypes()) {
                Schema.Type t = numberType(branch);
                if (t != null) {
                    return t;
                }
            }
            return null;
        }
        Schema.Type t = s.getType();
        return t == Schema.Type.LONG || t == Schema.Type.INT || t == Schema.Type.DOUBLE ? t : null;
    }

    private static Optional<Double> read(GenericRecord record, String field) {
        Object v = record == null ? null : record.get(field);
        return v instanceof Number n ? Optional.of(n.doubleValue()) : Optional.empty();
    }

    private static String label(GenericRecord record, String field) {
        Object v = record == null ? null : record.get(field);
        return v == null ? "" : v.toString();
    }
}
