package io.headerlog.collector.bpf;

/** The TCX hook a program runs at, and how the record's {@code direction} field encodes it. */
public enum Direction {
    INGRESS(LibBpf.BPF_TCX_INGRESS, EventLayout.DIR_INGRESS, "hl_ingress"),
    EGRESS(LibBpf.BPF_TCX_EGRESS, EventLayout.DIR_EGRESS, "hl_egress");

    private final int attachType;
    private final int wireValue;
    private final String programName;

    Direction(int attachType, int wireValue, String programName) {
        this.attachType = attachType;
        this.wireValue = wireValue;
        this.programName = programName;
    }

    /** enum bpf_attach_type (BPF_TCX_INGRESS / BPF_TCX_EGRESS). */
    public int attachType() {
        return attachType;
    }

    /** Value of {@code hl_event.direction}. */
    public int wireValue() {
        return wireValue;
    }

    /** The SEC("tc") program in capture.bpf.c that serves this hook. */
    public String programName() {
        return programName;
    }

    public static Direction ofWireValue(int value) {
        for (Direction d : values()) {
            if (d.wireValue == value) {
                return d;
            }
        }
        throw new IllegalArgumentException("no direction has wire value " + value);
    }
}
