package io.headerlog.streams.correlate;

/**
 * Overflow-safe arithmetic on ns timestamps. Times come from collectors' clocks and could be
 * garbage (a host whose clock was never set); a wrapped subtraction would turn garbage into a
 * plausible-looking delay, so differences that overflow become "unknown" and sums saturate.
 */
public final class TimeMath {
    private TimeMath() {
    }

    /** a + b, clamped to the long range. */
    public static long saturatedAdd(long a, long b) {
        long r = a + b;
        // overflow iff both operands have the same sign and the result's sign differs
        if (((a ^ r) & (b ^ r)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    /** to − from, or null if that does not fit in a long. */
    static Long difference(long to, long from) {
        try {
            return Math.subtractExact(to, from);
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /** a + b, or null if that does not fit in a long (an error bound that large says nothing). */
    static Long sum(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /** Length of the span [lo, hi] once widened to include t; Long.MAX_VALUE if that overflows. */
    static long spanWith(long lo, long hi, long t) {
        long min = Math.min(lo, t);
        long max = Math.max(hi, t);
        Long d = difference(max, min);
        return d == null ? Long.MAX_VALUE : d;
    }
}
