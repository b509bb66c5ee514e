package io.headerlog.collector.bpf;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A complete set of kernel filter rules, as the collector builds it from command-line flags and a
 * config file and hands it to {@link CaptureFilters#replaceWith}. Semantics (bpf/capture.h, "Kernel
 * filters"): a packet is dropped when an address, a TCP/UDP port or its protocol is denied (the longest
 * matching prefix decides between allow and deny prefixes), or when an allow list of a kind is
 * non-empty and the packet matches none of its entries; frames that are not IP are dropped only when
 * some allow list is non-empty.
 *
 * <p>Validated on construction: prefixes parse ({@link Cidr#parse}) and are stored in canonical form,
 * ports are 0..65535, protocols 0..255, and nothing is both allowed and denied.
 *
 * @param allowCidrs     address prefixes of which a packet's source or destination must be in one
 * @param denyCidrs      address prefixes whose packets (either address) are dropped
 * @param allowPorts     TCP/UDP ports of which a packet's source or destination port must be one
 * @param denyPorts      TCP/UDP ports whose packets (either port) are dropped
 * @param allowProtocols IP protocol numbers (after IPv6 extension headers) a packet must have one of
 * @param denyProtocols  IP protocol numbers whose packets are dropped
 */
public record FilterRules(
        List<String> allowCidrs,
        List<String> denyCidrs,
        Set<Integer> allowPorts,
        Set<Integer> denyPorts,
        Set<Integer> allowProtocols,
        Set<Integer> denyProtocols) {

    /** No rules: every packet passes. */
    public static final FilterRules NONE = new FilterRules(List.of(), List.of(), Set.of(), Set.of(), Set.of(), Set.of());

    private static final Map<String, Integer> PROTOCOL_NAMES = Map.of(
            "icmp", 1, "igmp", 2, "tcp", 6, "udp", 17, "gre", 47, "esp", 50, "ah", 51, "icmpv6", 58,
            "ipv6-icmp", 58, "sctp", 132);

    public FilterRules {
        allowCidrs = canonical(allowCidrs, "allowed");
        denyCidrs = canonical(denyCidrs, "denied");
        allowPorts = numbers(allowPorts, 65535, "port");
        denyPorts = numbers(denyPorts, 65535, "port");
        allowProtocols = numbers(allowProtocols, 255, "protocol");
        denyProtocols = numbers(denyProtocols, 255, "protocol");
        both(allowCidrs, denyCidrs, "address prefix");
        both(allowPorts, denyPorts, "port");
        both(allowProtocols, denyProtocols, "protocol");
        if (allowCidrs.size() + denyCidrs.size() > EventLayout.CIDR_RULES_MAX) {
            throw new IllegalArgumentException((allowCidrs.size() + denyCidrs.size()) + " address prefixes are more than the"
                    + " kernel filter holds (" + EventLayout.CIDR_RULES_MAX + "); merge them into shorter prefixes");
        }
    }

    private static List<String> canonical(List<String> cidrs, String what) {
        if (cidrs == null) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String c : cidrs) {
            try {
                out.add(Cidr.parse(c).toString());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad " + what + " address prefix: " + e.getMessage(), e);
            }
        }
        return List.copyOf(out);
    }

    private static Set<Integer> numbers(Set<Integer> values, int max, String what) {
        if (values == null) {
            return Set.of();
        }
        for (Integer v : values) {
            if (v == null || v < 0 || v > max) {
                throw new IllegalArgumentException(what + " " + v + " is out of range; " + what + "s are 0.." + max);
            }
        }
        return Set.copyOf(values);
    }

    private static void both(Collection<?> allow, Collection<?> deny, String what) {
        Set<Object> common = new HashSet<>(allow);
        common.retainAll(deny);
        if (!common.isEmpty()) {
            throw new IllegalArgumentException(what + " " + common.iterator().next()
                    + " is both allowed and denied; keep it in one list");
        }
    }

    /** True when there is no rule at all. */
    public boolean isEmpty() {
        return allowCidrs.isEmpty() && denyCidrs.isEmpty() && allowPorts.isEmpty() && denyPorts.isEmpty()
                && allowProtocols.isEmpty() && denyProtocols.isEmpty();
    }

    /**
     * A protocol number from its name (tcp, udp, icmp, icmpv6, sctp, gre, esp, ah, igmp; any case) or
     * its decimal number.
     */
    public static int protocolNumber(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Integer named = PROTOCOL_NAMES.get(t);
        if (named != null) {
            return named;
        }
        if (t.matches("\\d{1,3}") && Integer.parseInt(t) <= 255) {
            return Integer.parseInt(t);
        }
        throw new IllegalArgumentException("unknown protocol '" + text + "'; use one of "
                + new TreeSet<>(PROTOCOL_NAMES.keySet()) + " or a number 0..255");
    }

    /** The rules with {@code other}'s added (a later allow/deny of the same entry must not conflict). */
    public FilterRules plus(FilterRules other) {
        return new FilterRules(concat(allowCidrs, other.allowCidrs), concat(denyCidrs, other.denyCidrs),
                union(allowPorts, other.allowPorts), union(denyPorts, other.denyPorts),
                union(allowProtocols, other.allowProtocols), union(denyProtocols, other.denyProtocols));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
        Set<Integer> out = new HashSet<>(a);
        out.addAll(b);
        return out;
    }
}
