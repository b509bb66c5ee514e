package io.headerlog.collector.decode;

/**
 * Text forms of addresses without InetAddress: IPv4 dotted quad, IPv6 in the RFC 5952 canonical form
 * (lower case, longest zero run compressed — what tshark, ip(8) and ksqlDB users expect to compare),
 * and colon-separated MACs. Allocation is one String per call.
 */
public final class AddressFormat {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private AddressFormat() {}

    public static String ipv4(byte[] b, int off) {
        StringBuilder sb = new StringBuilder(15);
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(b[off + i] & 0xff);
        }
        return sb.toString();
    }

    public static String ipv6(byte[] b, int off) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[off + 2 * i] & 0xff) << 8) | (b[off + 2 * i + 1] & 0xff);
        }
        if (isV4Mapped(groups)) {
            return "::ffff:" + ipv4(b, off + 12);
        }
        // RFC 5952 4.2: compress the longest run of two or more zero groups, the first one on ties.
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            appendHexGroup(sb, groups[i]);
        }
        return sb.toString();
    }

    public static String mac(byte[] b, int off) {
        char[] out = new char[17];
        for (int i = 0; i < 6; i++) {
            int v = b[off + i] & 0xff;
            out[3 * i] = HEX[v >>> 4];
            out[3 * i + 1] = HEX[v & 0xf];
            if (i < 5) {
                out[3 * i + 2] = ':';
            }
        }
        return new String(out);
    }

    private static boolean isV4Mapped(int[] g) {
        return g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff;
    }

    private static void appendHexGroup(StringBuilder sb, int v) {
        boolean started = false;
        for (int shift = 12; shift >= 0; shift -= 4) {
            int nibble = (v >>> shift) & 0xf;
            if (nibble != 0 || started || shift == 0) {
                sb.append(HEX[nibble]);
                started = true;
            }
        }
    }
}
