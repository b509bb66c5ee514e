package io.headerlog.collector.decode;

/** TCP flag bits as hl_event.tcp_flags carries them, and their names. */
public final class TcpFlags {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;
    public static final int AE = 0x100;

    private static final String[] NAMES = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"};
    // Flag combinations are few; naming them once keeps the hot path allocation-free.
    private static final String[] CACHE = new String[1 << NAMES.length];

    static {
        for (int f = 0; f < CACHE.length; f++) {
            StringBuilder sb = new StringBuilder();
            for (int bit = 0; bit < NAMES.length; bit++) {
                if ((f & (1 << bit)) != 0) {
                    if (sb.length() > 0) {
                        sb.append(',');
                    }
                    sb.append(NAMES[bit]);
                }
            }
            CACHE[f] = sb.toString();
        }
    }

    private TcpFlags() {}

    /** e.g. "SYN,ACK"; empty for no flags. */
    public static String names(int flags) {
        return CACHE[flags & (CACHE.length - 1)];
    }
}
