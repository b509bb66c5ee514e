package io.headerlog.streams.clock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;

/**
 * From pair estimates to every host's clock relative to one reference host.
 *
 * <p>Hosts are nodes, pair estimates edges weighted by their error bound at the solve time. A host's
 * offset is the sum of the pair offsets along the path to the reference with the smallest total
 * bound (Dijkstra; bounds are ≥ 0 and add up along a path by the triangle inequality, so the sum is
 * an honest bound of the composed offset). Drifts and drift bounds add the same way.
 *
 * <p>Reference: the configured host, else the lowest host id (String order) among the estimates.
 * A configured reference is kept even while it has no estimates, so offsets never silently switch
 * to another reference; the default one can change when a lower id appears — configure it in
 * production.
 *
 * <p>An edge is not used when the solve time is farther than {@code maxExtrapolation} from its
 * newest sample: its bound would be mostly guesswork by then.
 */
public final class ClockSolver {
    public static final Duration DEFAULT_MAX_EXTRAPOLATION = Duration.ofMinutes(5);

    private record Node(String host, double offsetNs, double driftPpm, double boundNs, double driftBoundPpm,
            long samples, long steps, String previous) {
    }

    private final Optional<String> configuredReference;
    private final long maxExtrapolationNs;

    public ClockSolver(Optional<String> reference, Duration maxExtrapolation) {
        Objects.requireNonNull(reference, "reference must be set (empty for the lowest host id)");
        reference.ifPresent(r -> {
            if (r.isBlank()) {
                throw new IllegalArgumentException("reference host must not be blank");
            }
        });
        Objects.requireNonNull(maxExtrapolation, "max extrapolation must be set");
        if (maxExtrapolation.isNegative() || maxExtrapolation.isZero()) {
            throw new IllegalArgumentException("max extrapolation must be > 0, was " + maxExtrapolation);
        }
        this.configuredReference = reference;
        this.maxExtrapolationNs = maxExtrapolation.toNanos();
    }

    public ClockSolver() {
        this(Optional.empty(), DEFAULT_MAX_EXTRAPOLATION);
    }

    /** Every host's clock at {@code atReferenceNs}, a time on the reference host's clock. */
    public ClockSolution solve(Collection<PairEstimate> estimates, long atReferenceNs) {
        Map<String, List<PairEstimate>> edges = new HashMap<>();
        for (PairEstimate e : estimates) {
            edges.computeIfAbsent(e.pair().first(), h -> new ArrayList<>()).add(e);
            edges.computeIfAbsent(e.pair().second(), h -> new ArrayList<>()).add(e);
        }
        Optional<String> reference = chooseReference(edges.keySet());
        if (reference.isEmpty()) {
            return ClockSolution.empty(atReferenceNs);
        }
        String ref = reference.get();
        Map<String, Node> settled = new HashMap<>();
        Map<String, Node> best = new HashMap<>();
        PriorityQueue<Node> queue = new PriorityQueue<>(
                (a, b) -> a.boundNs() != b.boundNs() ? Double.compare(a.boundNs(), b.boundNs()) : a.host().compareTo(b.host()));
        Node start = new Node(ref, 0, 0, 0, 0, 0, 0, null);
        best.put(ref, start);
        queue.add(start);
        while (!queue.isEmpty()) {
            Node u = queue.poll();
            if (settled.containsKey(u.host())) {
                continue;
            }
            settled.put(u.host(), u);
            for (PairEstimate e : edges.getOrDefault(u.host(), List.of())) {
                String v = e.pair().other(u.host());
                if (settled.containsKey(v)) {
                    continue;
                }
                Node candidate = extend(u, e, v, atReferenceNs);
                Node known = best.get(v);
                if (candidate != null && (known == null || candidate.boundNs() < known.boundNs())) {
                    best.put(v, candidate);
                    queue.add(candidate);
                }
            }
        }
        Map<String, HostClock> clocks = new HashMap<>();
        for (Node n : settled.values()) {
            clocks.put(n.host(), toClock(n, ref, settled, atReferenceNs));
        }
        return new ClockSolution(reference, atReferenceNs, clocks);
    }

    /**
     * Solves at the newest moment the estimates know about: the latest sample time among the pairs
     * connected to the reference, read on the reference clock. A first solve at the reference's own
     * newest sample gives the offsets that map the other pairs' times onto its clock.
     */
    public ClockSolution solveAtLatest(Collection<PairEstimate> estimates) {
        Set<String> hosts = new HashSet<>();
        for (PairEstimate e : estimates) {
            hosts.add(e.pair().first());
            hosts.add(e.pair().second());
        }
        Optional<String> reference = chooseReference(hosts);
        if (reference.isEmpty()) {
            return ClockSolution.empty(0);
        }
        String ref = reference.get();
        long first = Long.MIN_VALUE;
        for (PairEstimate e : estimates) {
            if (e.pair().first().equals(ref)) {
                first = Math.max(first, e.validFromNs());
            } else if (e.pair().second().equals(ref)) {
                // validFrom is on the other host's clock; on the reference's it is later by the offset.
                first = Math.max(first, e.validFromNs() + e.offsetNs());
            }
        }
        if (first == Long.MIN_VALUE) {
            return new ClockSolution(reference, 0, Map.of(ref, HostClock.ofReference(ref, 0)));
        }
        ClockSolution rough = solve(estimates, first);
        long latest = first;
        for (PairEstimate e : estimates) {
            Optional<HostClock> firstHost = rough.clock(e.pair().first());
            if (firstHost.isPresent()) {
                latest = Math.max(latest, firstHost.get().alignedTime(e.validFromNs()));
            }
        }
        return latest == first ? rough : solve(estimates, latest);
    }

    private Optional<String> chooseReference(Set<String> hosts) {
        if (configuredReference.isPresent()) {
            return configuredReference;
        }
        return hosts.isEmpty() ? Optional.empty() : Optional.of(new TreeSet<>(hosts).first());
    }

    /** u's path extended by edge e to v, evaluated at the solve time; null if e is too old to use. */
    private Node extend(Node u, PairEstimate e, String v, long atReferenceNs) {
        // The solve time on u's clock, then on the pair's first clock (the edge's time axis).
        long onU = atReferenceNs + Math.round(u.offsetNs());
        boolean forward = e.pair().first().equals(u.host());
        // Reversed: solve t + offset(t) = onU for t on first's clock; with offset(t) linear that is
        // exact: t = validFrom + (onU − offset − validFrom) / (1 + drift).
        long onFirst = forward ? onU : e.validFromNs()
                + Math.round((onU - e.offsetNs() - e.validFromNs()) / (1 + e.driftPpm() * 1e-6));
        if (Exchange.apart(onFirst, e.validFromNs()) > maxExtrapolationNs) {
            return null;
        }
        double pairOffset = e.offsetAt(onFirst); // second − first
        double sign = forward ? 1 : -1;          // v − u
        return new Node(v, u.offsetNs() + sign * pairOffset, u.driftPpm() + sign * e.driftPpm(),
                u.boundNs() + e.errorBoundAt(onFirst), u.driftBoundPpm() + e.driftBoundPpm(),
                u.samples() + e.samples(), u.steps() + e.steps(), u.host());
    }

    private static HostClock toClock(Node n, String ref, Map<String, Node> settled, long atReferenceNs) {
        if (n.host().equals(ref)) {
            return HostClock.ofReference(ref, atReferenceNs);
        }
        LinkedList<String> path = new LinkedList<>();
        for (Node at = n; at != null; at = at.previous() == null ? null : settled.get(at.previous())) {
            path.addLast(at.host());
        }
        int samples = (int) Math.min(Integer.MAX_VALUE, n.samples());
        return new HostClock(n.host(), ref, Math.round(n.offsetNs()), n.driftPpm(), (long) Math.ceil(n.boundNs()),
                n.driftBoundPpm(), samples, atReferenceNs, path, n.steps());
    }
}
