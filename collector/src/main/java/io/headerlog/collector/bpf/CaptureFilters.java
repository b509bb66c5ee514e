package io.headerlog.collector.bpf;

import com.sun.jna.Memory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The capture program's kernel filters (bpf/capture.h, "Kernel filters"): address prefixes, TCP/UDP
 * ports and IP protocols, each allowed or denied, changed while the program runs by map updates (no
 * reload). A change applies from the next packet the kernel processes.
 *
 * <p>This object is the only writer of the filter maps and keeps a copy of the rules, from which it
 * also derives the state word that tells the kernel which kinds of rules exist (so a program with no
 * rules pays one array lookup per packet). An entry has one action: allowing what is denied replaces
 * the deny rule, and vice versa.
 *
 * <p>Thread-safe. Each change writes the maps one entry at a time, in an order that never puts an
 * allow list in force while its entries are missing; for the few microseconds a change takes, a packet
 * may meet a mix of the old and the new rules (e.g. during {@link #replaceWith}, the union of an old and
 * a new allow list).
 */
public final class CaptureFilters {

    private enum Kind {
        CIDR(EventLayout.FS_CIDR_ALLOW, EventLayout.FS_CIDR_DENY),
        PORT(EventLayout.FS_PORT_ALLOW, EventLayout.FS_PORT_DENY),
        PROTO(EventLayout.FS_PROTO_ALLOW, EventLayout.FS_PROTO_DENY);

        final int allowBit;
        final int denyBit;

        Kind(int allowBit, int denyBit) {
            this.allowBit = allowBit;
            this.denyBit = denyBit;
        }
    }

    private final CaptureProgram owner;
    private final int cidrFd;
    private final int portFd;
    private final int protoFd;
    private final int controlFd;
    /** The rules the kernel maps hold (an action per entry), and the state word written last. */
    private Table current = new Table();
    private int state;
    private final Memory cidrKey = new Memory(EventLayout.CIDR_KEY_SIZE);
    private final Memory portKey = new Memory(2);
    private final Memory protoKey = new Memory(4);
    private final Memory stateKey = new Memory(4);
    private final Memory u8 = new Memory(1);
    private final Memory u32 = new Memory(4);

    CaptureFilters(CaptureProgram owner, int cidrFd, int portFd, int protoFd, int controlFd) {
        this.owner = owner;
        this.cidrFd = cidrFd;
        this.portFd = portFd;
        this.protoFd = protoFd;
        this.controlFd = controlFd;
        stateKey.setInt(0, EventLayout.CTL_FILTER_STATE);
    }

    /** Packets from or to this prefix pass the address allow list (which is in force once it has an entry). */
    public void allowCidr(String cidr) {
        Cidr c = Cidr.parse(cidr);
        change(t -> {
            t.cidrs.put(c, EventLayout.FILTER_ALLOW);
            return true;
        });
    }

    /** Packets from or to this prefix are dropped (unless a longer allowed prefix covers the address). */
    public void denyCidr(String cidr) {
        Cidr c = Cidr.parse(cidr);
        change(t -> {
            t.cidrs.put(c, EventLayout.FILTER_DENY);
            return true;
        });
    }

    /** Removes the rule for exactly this prefix; returns false when there was none. */
    public boolean removeCidr(String cidr) {
        Cidr c = Cidr.parse(cidr);
        return change(t -> t.cidrs.remove(c) != null);
    }

    /** TCP/UDP packets from or to this port pass the port allow list (in force once it has an entry). */
    public void allowPort(int port) {
        checkRange(Kind.PORT, port);
        change(t -> {
            t.ports.put(port, EventLayout.FILTER_ALLOW);
            return true;
        });
    }

    /** TCP/UDP packets from or to this port are dropped. */
    public void denyPort(int port) {
        checkRange(Kind.PORT, port);
        change(t -> {
            t.ports.put(port, EventLayout.FILTER_DENY);
            return true;
        });
    }

    /** Removes the rule for this port; returns false when there was none. */
    public boolean removePort(int port) {
        checkRange(Kind.PORT, port);
        return change(t -> t.ports.remove(port) != null);
    }

    /** Packets of this IP protocol pass the protocol allow list (in force once it has an entry). */
    public void allowProtocol(int protocol) {
        checkRange(Kind.PROTO, protocol);
        change(t -> {
            t.protocols.put(protocol, EventLayout.FILTER_ALLOW);
            return true;
        });
    }

    /** Packets of this IP protocol are dropped. */
    public void denyProtocol(int protocol) {
        checkRange(Kind.PROTO, protocol);
        change(t -> {
            t.protocols.put(protocol, EventLayout.FILTER_DENY);
            return true;
        });
    }

    /** Removes the rule for this protocol; returns false when there was none. */
    public boolean removeProtocol(int protocol) {
        checkRange(Kind.PROTO, protocol);
        return change(t -> t.protocols.remove(protocol) != null);
    }

    /** Removes every rule: all packets pass. */
    public void clear() {
        replaceWith(FilterRules.NONE);
    }

    /** Makes {@code rules} the complete rule set. */
    public void replaceWith(FilterRules rules) {
        Objects.requireNonNull(rules, "rules");
        Table want = new Table();
        rules.allowCidrs().forEach(c -> want.cidrs.put(Cidr.parse(c), EventLayout.FILTER_ALLOW));
        rules.denyCidrs().forEach(c -> want.cidrs.put(Cidr.parse(c), EventLayout.FILTER_DENY));
        rules.allowPorts().forEach(p -> want.ports.put(p, EventLayout.FILTER_ALLOW));
        rules.denyPorts().forEach(p -> want.ports.put(p, EventLayout.FILTER_DENY));
        rules.allowProtocols().forEach(p -> want.protocols.put(p, EventLayout.FILTER_ALLOW));
        rules.denyProtocols().forEach(p -> want.protocols.put(p, EventLayout.FILTER_DENY));
        synchronized (owner) {
            owner.checkOpen();
            apply(want);
        }
    }

    /** The rules in force. */
    public FilterRules rules() {
        synchronized (owner) {
            List<String> allow = new ArrayList<>();
            List<String> deny = new ArrayList<>();
            current.cidrs.forEach((c, a) -> (a == EventLayout.FILTER_ALLOW ? allow : deny).add(c.toString()));
            return new FilterRules(allow, deny, keys(current.ports, EventLayout.FILTER_ALLOW),
                    keys(current.ports, EventLayout.FILTER_DENY), keys(current.protocols, EventLayout.FILTER_ALLOW),
                    keys(current.protocols, EventLayout.FILTER_DENY));
        }
    }

    /** Edits a copy of the current rules and applies it; returns what the edit returned. */
    private boolean change(java.util.function.Predicate<Table> edit) {
        synchronized (owner) {
            owner.checkOpen();
            Table want = current.copy();
            boolean changed = edit.test(want);
            if (want.cidrs.size() > EventLayout.CIDR_RULES_MAX) {
                throw new IllegalStateException("the kernel filter holds at most " + EventLayout.CIDR_RULES_MAX
                        + " address prefixes; remove some or merge them into shorter prefixes");
            }
            apply(want);
            return changed;
        }
    }

    /**
     * Moves the kernel from {@link #current} to {@code want}. An allow list must never be in force while
     * its entries are missing (it would drop everything), so: first switch off the allow lists that
     * end (deny bits may come on early: a deny bit without deny entries changes nothing); then write new
     * and changed entries; then the final state word; last delete the entries that are gone.
     */
    private void apply(Table want) {
        int target = want.state();
        int allowBits = EventLayout.FS_CIDR_ALLOW | EventLayout.FS_PORT_ALLOW | EventLayout.FS_PROTO_ALLOW;
        writeState((state & target & allowBits) | ((state | target) & ~allowBits));
        want.cidrs.forEach((c, a) -> {
            if (!a.equals(current.cidrs.get(c))) {
                writeCidrEntry(c, a);
            }
        });
        want.ports.forEach((p, a) -> {
            if (!a.equals(current.ports.get(p))) {
                writeNumberEntry(Kind.PORT, p, a);
            }
        });
        want.protocols.forEach((p, a) -> {
            if (!a.equals(current.protocols.get(p))) {
                writeNumberEntry(Kind.PROTO, p, a);
            }
        });
        writeState(target);
        Table old = current;
        current = want;
        old.cidrs.keySet().stream().filter(c -> !want.cidrs.containsKey(c)).forEach(this::deleteCidrEntry);
        old.ports.keySet().stream().filter(p -> !want.ports.containsKey(p)).forEach(p -> deleteNumberEntry(Kind.PORT, p));
        old.protocols.keySet().stream().filter(p -> !want.protocols.containsKey(p))
                .forEach(p -> deleteNumberEntry(Kind.PROTO, p));
    }

    private static Set<Integer> keys(Map<Integer, Integer> m, int action) {
        Set<Integer> out = new HashSet<>();
        m.forEach((k, a) -> {
            if (a == action) {
                out.add(k);
            }
        });
        return out;
    }

    private static void checkRange(Kind kind, int value) {
        int max = kind == Kind.PORT ? 65535 : 255;
        if (value < 0 || value > max) {
            throw new IllegalArgumentException((kind == Kind.PORT ? "port " : "protocol ") + value + " is out of range 0.."
                    + max);
        }
    }

    private void writeState(int s) {
        if (s == state) {
            return;
        }
        u32.setInt(0, s);
        check(LibBpf.bpf_map_update_elem(controlFd, stateKey, u32, LibBpf.BPF_ANY), "writing the filter state");
        state = s;
    }

    private void writeCidrEntry(Cidr c, int action) {
        setCidrKey(c);
        u8.setByte(0, (byte) action);
        check(LibBpf.bpf_map_update_elem(cidrFd, cidrKey, u8, LibBpf.BPF_ANY), "adding filter rule " + c);
    }

    private void deleteCidrEntry(Cidr c) {
        setCidrKey(c);
        checkDelete(LibBpf.bpf_map_delete_elem(cidrFd, cidrKey), "removing filter rule " + c);
    }

    private void setCidrKey(Cidr c) {
        cidrKey.setInt(EventLayout.CIDR_KEY_PREFIXLEN, c.triePrefixLength());
        cidrKey.write(EventLayout.CIDR_KEY_ADDR, c.trieAddress(), 0, 16);
    }

    private void writeNumberEntry(Kind kind, int value, int action) {
        u8.setByte(0, (byte) action);
        if (kind == Kind.PORT) {
            portKey.setShort(0, (short) value);
            check(LibBpf.bpf_map_update_elem(portFd, portKey, u8, LibBpf.BPF_ANY), "adding the rule for port " + value);
        } else {
            protoKey.setInt(0, value);
            check(LibBpf.bpf_map_update_elem(protoFd, protoKey, u8, LibBpf.BPF_ANY), "adding the rule for protocol " + value);
        }
    }

    private void deleteNumberEntry(Kind kind, int value) {
        if (kind == Kind.PORT) {
            portKey.setShort(0, (short) value);
            checkDelete(LibBpf.bpf_map_delete_elem(portFd, portKey), "removing the rule for port " + value);
        } else {
            // An array has no deletion: action 0 is "no rule".
            protoKey.setInt(0, value);
            u8.setByte(0, (byte) 0);
            check(LibBpf.bpf_map_update_elem(protoFd, protoKey, u8, LibBpf.BPF_ANY), "removing the rule for protocol " + value);
        }
    }

    private static void check(int rc, String what) {
        if (rc < 0) {
            throw new BpfException(what + " in the kernel filter failed: " + CaptureProgram.strerror(-rc), -rc);
        }
    }

    private static void checkDelete(int rc, String what) {
        if (rc < 0 && -rc != LibC.ENOENT) {
            check(rc, what);
        }
    }

    /** One complete rule set: an action per prefix, port and protocol. */
    private static final class Table {
        final Map<Cidr, Integer> cidrs = new LinkedHashMap<>();
        final Map<Integer, Integer> ports = new TreeMap<>();
        final Map<Integer, Integer> protocols = new TreeMap<>();

        Table copy() {
            Table t = new Table();
            t.cidrs.putAll(cidrs);
            t.ports.putAll(ports);
            t.protocols.putAll(protocols);
            return t;
        }

        int state() {
            return bits(Kind.CIDR, cidrs.values()) | bits(Kind.PORT, ports.values()) | bits(Kind.PROTO, protocols.values());
        }

        private static int bits(Kind kind, Iterable<Integer> actions) {
            int s = 0;
            for (int a : actions) {
                s |= a == EventLayout.FILTER_ALLOW ? kind.allowBit : kind.denyBit;
            }
            return s;
        }
    }
}
