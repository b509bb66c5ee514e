package io.headerlog.tools.view;

import java.util.Locale;

/**
 * Short text for clock figures. ASCII only ("us", "+-"): the view writes in the platform charset,
 * which is US-ASCII under a C locale (CI, cron, `ip netns exec`), where µ and ± turn into '?'.
 */
final class ClockFormat {
    private ClockFormat() {
    }

    /** An offset in ms with 3 decimals (µs resolution) and its sign: {@code +37.012}. */
    static String offsetMs(long offsetNs) {
        return String.format(Locale.ROOT, "%+.3f", offsetNs / 1e6);
    }

    /** An error bound, three significant digits in its unit: {@code 850ns}, {@code 85.3us}, {@code 1.20ms}. */
    static String bound(long ns) {
        long abs = Math.abs(ns);
        if (abs < 1_000) {
            return ns + "ns";
        }
        if (abs < 1_000_000) {
            return significant(ns / 1e3) + "us";
        }
        if (abs < 1_000_000_000) {
            return significant(ns / 1e6) + "ms";
        }
        return significant(ns / 1e9) + "s";
    }

    /** An estimate's age: {@code 0.4s} under 10 s, {@code 42s} under 2 min, then {@code 3m05s}; negative ages are 0. */
    static String age(long ageMs) {
        long ms = Math.max(0, ageMs);
        if (ms < 10_000) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long seconds = ms / 1000;
        if (seconds < 120) {
            return seconds + "s";
        }
        return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }

    /**
     * The share of aligned records in whole percent, or "-" when there were no records. Rounded
     * down, so 100% means every record and 0% none ("<1%" for a few).
     */
    static String share(long part, long whole) {
        if (whole <= 0) {
            return "-";
        }
        long percent = 100 * part / whole;
        return percent == 0 && part > 0 ? "<1%" : percent + "%";
    }

    // 1 <= |value| < 1000 here
    private static String significant(double value) {
        double abs = Math.abs(value);
        // Round first: 9.996 shown with 2 decimals would be "10.00", four digits.
        if (Math.round(abs * 100) < 1000) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        if (Math.round(abs * 10) < 1000) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.0f", value);
    }
}
