package io.headerlog.collector.reassembly;

/**
 * Which byte positions of a message have arrived: sorted, disjoint, non-touching half-open intervals
 * {@code [start, end)} in one int array. The contiguous prefix is the interval that starts at 0.
 *
 * <p>The count is capped: a stream that keeps sending tiny out-of-order pieces cannot make the
 * collector hold an unbounded interval list; a segment that would need one more interval than the cap
 * is refused (and counted by the caller).
 */
final class ByteRanges {
    static final int MAX_RANGES = 32;

    private int[] bounds = new int[8]; // start0, end0, start1, end1, ...
    private int count;

    int count() {
        return count;
    }

    int start(int i) {
        return bounds[2 * i];
    }

    int end(int i) {
        return bounds[2 * i + 1];
    }

    /** End of the contiguous prefix {@code [0, n)}; 0 when byte 0 has not arrived. */
    int contiguous() {
        return count > 0 && bounds[0] == 0 ? bounds[1] : 0;
    }

    /** The lowest position at or after {@code pos} that has not arrived. */
    int firstMissingFrom(int pos) {
        for (int i = 0; i < count; i++) {
            if (start(i) > pos) {
                break;
            }
            if (end(i) > pos) {
                pos = end(i);
            }
        }
        return pos;
    }

    /** Bytes of {@code [from, to)} that have already arrived. */
    int coveredIn(int from, int to) {
        int covered = 0;
        for (int i = 0; i < count && start(i) < to; i++) {
            int s = Math.max(start(i), from);
            int e = Math.min(end(i), to);
            if (e > s) {
                covered += e - s;
            }
        }
        return covered;
    }

    /** Whether {@link #add} of {@code [from, to)} fits under the interval cap. */
    boolean canAdd(int from, int to) {
        if (count < MAX_RANGES) {
            return true;
        }
        for (int i = 0; i < count; i++) {
            if (start(i) <= to && end(i) >= from) {
                return true; // overlaps or touches: merges, no new interval
            }
        }
        return false;
    }

    /** Marks {@code [from, to)} as arrived, merging with every interval it overlaps or touches. */
    void add(int from, int to) {
        if (from >= to) {
            return;
        }
        if (count > 0 && end(count - 1) == from) { // the in-order fast path: extend the last interval
            bounds[2 * count - 1] = to;
            return;
        }
        int first = 0;
        while (first < count && end(first) < from) {
            first++;
        }
        int last = first;
        while (last < count && start(last) <= to) {
            last++;
        }
        // intervals first..last-1 overlap or touch [from, to)
        if (first == last) {
            if (count == MAX_RANGES) {
                throw new IllegalStateException("interval cap reached; call canAdd first");
            }
            ensureCapacity(count + 1);
            System.arraycopy(bounds, 2 * first, bounds, 2 * first + 2, 2 * (count - first));
            bounds[2 * first] = from;
            bounds[2 * first + 1] = to;
            count++;
            return;
        }
        int newStart = Math.min(from, start(first));
        int newEnd = Math.max(to, end(last - 1));
        bounds[2 * first] = newStart;
        bounds[2 * first + 1] = newEnd;
        int removed = last - first - 1;
        if (removed > 0) {
            System.arraycopy(bounds, 2 * last, bounds, 2 * first + 2, 2 * (count - last));
            count -= removed;
        }
    }

    /** Forgets positions before {@code n} and renumbers the rest so position n becomes 0. */
    void dropPrefix(int n) {
        int out = 0;
        for (int i = 0; i < count; i++) {
            int s = start(i) - n;
            int e = end(i) - n;
            if (e <= 0) {
                continue;
            }
            bounds[2 * out] = Math.max(s, 0);
            bounds[2 * out + 1] = e;
            out++;
        }
        count = out;
    }

    void clear() {
        count = 0;
    }

    private void ensureCapacity(int ranges) {
        if (2 * ranges > bounds.length) {
            int[] grown = new int[Math.min(2 * MAX_RANGES, bounds.length * 2)];
            System.arraycopy(bounds, 0, grown, 0, 2 * count);
            bounds = grown;
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ", ").append(start(i)).append("..").append(end(i));
        }
        return sb.append(']').toString();
    }
}
