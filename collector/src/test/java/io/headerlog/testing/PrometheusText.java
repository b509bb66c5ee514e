package io.headerlog.testing;

/** Reads samples out of a Prometheus text-format scrape, for tests of the metrics endpoints. */
public final class PrometheusText {
    private PrometheusText() {
    }

    /** The value of {@code series} (name and labels, e.g. {@code x_total{host="a"}}), or -1 if the scrape has none. */
    public static double value(String body, String series) {
        return body.lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length()).strip())).findFirst().orElse(-1);
    }
}
