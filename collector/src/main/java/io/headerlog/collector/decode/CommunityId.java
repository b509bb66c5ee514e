package io.headerlog.collector.decode;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Community ID v1 flow hashing (corelight/community-id-spec): a direction-free flow id that Zeek,
 * Suricata, Wireshark and Elastic compute too, so headerlog records can be joined with theirs. It is
 * also the Kafka key of every record: all hosts' records of one flow land in one partition.
 *
 * <p>Not thread-safe (it reuses one digest and buffer); use one instance per thread.
 */
public final class CommunityId {
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_SCTP = 132;
    public static final int PROTO_ICMPV6 = 58;

    private final int seed;
    private final MessageDigest sha1;
    private final byte[] input = new byte[2 + 16 + 16 + 2 + 4];

    public CommunityId() {
        this(0);
    }

    public CommunityId(int seed) {
        if (seed < 0 || seed > 0xffff) {
            throw new IllegalArgumentException("Community ID seed must be 0..65535, got " + seed);
        }
        this.seed = seed;
        try {
            this.sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-1, which Community ID v1 requires", e);
        }
    }

    /**
     * The id of a flow of a port-based protocol (TCP, UDP, SCTP), of another IP protocol when
     * {@code hasPorts} is false, or of ICMP after {@link #icmp}'s type/code mapping.
     *
     * @param addrLen 4 or 16: bytes of {@code src} and {@code dst} from {@code srcOff}/{@code dstOff}
     */
    public String flow(byte[] src, int srcOff, byte[] dst, int dstOff, int addrLen, int proto,
                       boolean hasPorts, int srcPort, int dstPort) {
        int order = compare(src, srcOff, dst, dstOff, addrLen);
        boolean srcFirst = order < 0 || (order == 0 && (!hasPorts || srcPort <= dstPort));
        return hash(srcFirst ? src : dst, srcFirst ? srcOff : dstOff,
                srcFirst ? dst : src, srcFirst ? dstOff : srcOff, addrLen, proto, hasPorts,
                srcFirst ? srcPort : dstPort, srcFirst ? dstPort : srcPort);
    }

    /** The id of an ICMP (proto 1) or ICMPv6 (proto 58) message, mapped to ports as Zeek does. */
    public String icmp(byte[] src, int srcOff, byte[] dst, int dstOff, int addrLen, int proto,
                       int type, int code) {
        int counterpart = proto == PROTO_ICMPV6 ? icmp6Counterpart(type) : icmp4Counterpart(type);
        if (counterpart < 0) {
            // one-way messages (errors, redirects, ...) keep their direction: type → code
            return hash(src, srcOff, dst, dstOff, addrLen, proto, true, type, code);
        }
        return flow(src, srcOff, dst, dstOff, addrLen, proto, true, type, counterpart);
    }

    private String hash(byte[] a, int aOff, byte[] b, int bOff, int addrLen, int proto,
                        boolean hasPorts, int portA, int portB) {
        int n = 0;
        input[n++] = (byte) (seed >>> 8);
        input[n++] = (byte) seed;
        System.arraycopy(a, aOff, input, n, addrLen);
        n += addrLen;
        System.arraycopy(b, bOff, input, n, addrLen);
        n += addrLen;
        input[n++] = (byte) proto;
        input[n++] = 0;
        if (hasPorts) {
            input[n++] = (byte) (portA >>> 8);
            input[n++] = (byte) portA;
            input[n++] = (byte) (portB >>> 8);
            input[n++] = (byte) portB;
        }
        sha1.reset();
        sha1.update(input, 0, n);
        return "1:" + Base64.getEncoder().encodeToString(sha1.digest());
    }

    private static int compare(byte[] a, int aOff, byte[] b, int bOff, int len) {
        for (int i = 0; i < len; i++) {
            int d = (a[aOff + i] & 0xff) - (b[bOff + i] & 0xff);
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }

    /** ICMPv4 request/reply pairs; -1 for one-way types. */
    static int icmp4Counterpart(int type) {
        switch (type) {
            case 8: return 0;    // echo → echo reply
            case 0: return 8;
            case 13: return 14;  // timestamp
            case 14: return 13;
            case 15: return 16;  // information
            case 16: return 15;
            case 10: return 9;   // router solicitation → advertisement (not the reverse)
            case 17: return 18;  // address mask
            case 18: return 17;
            default: return -1;
        }
    }

    /** ICMPv6 request/reply pairs; -1 for one-way types. */
    static int icmp6Counterpart(int type) {
        switch (type) {
            case 128: return 129; // echo
            case 129: return 128;
            case 133: return 134; // router solicitation / advertisement
            case 134: return 133;
            case 135: return 136; // neighbor solicitation / advertisement
            case 136: return 135;
            case 130: return 131; // MLD query / report
            case 131: return 130;
            case 139: return 140; // node information query / reply
            case 140: return 139;
            case 144: return 145; // home agent address discovery
            case 145: return 144;
            default: return -1;
        }
    }
}
