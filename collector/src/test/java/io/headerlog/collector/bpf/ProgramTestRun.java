package io.headerlog.collector.bpf;

import com.sun.jna.Memory;

/**
 * Runs a loaded capture program on one frame in the kernel with BPF_PROG_TEST_RUN (no interface, no
 * traffic): the program sees an skb holding the frame, on the loopback device of the calling thread's
 * namespace, and does everything it does on a real hook (maps, counters, ring).
 */
final class ProgramTestRun {
    private ProgramTestRun() {}

    /** sizeof and offsets of libbpf 1.1's struct bpf_test_run_opts. */
    private static final int OPTS_SIZE = 80;
    private static final int DATA_IN = 8;
    private static final int DATA_SIZE_IN = 24;
    private static final int RETVAL = 56;
    private static final int REPEAT = 60;
    private static final int DURATION = 64;

    /** The program's return value and the kernel's mean run time per repetition. */
    record Result(int retval, long nsPerRun) {}

    static Result run(CaptureProgram program, Direction direction, byte[] frame, int repeat) {
        Memory data = new Memory(frame.length);
        data.write(0, frame, 0, frame.length);
        Memory opts = new Memory(OPTS_SIZE);
        opts.clear();
        opts.setLong(0, OPTS_SIZE);
        opts.setPointer(DATA_IN, data);
        opts.setInt(DATA_SIZE_IN, frame.length);
        opts.setInt(REPEAT, repeat);
        int rc = LibBpf.bpf_prog_test_run_opts(program.programFd(direction), opts);
        if (rc < 0) {
            throw new BpfException("BPF_PROG_TEST_RUN of the " + direction + " program failed: "
                    + CaptureProgram.strerror(-rc), -rc);
        }
        return new Result(opts.getInt(RETVAL), opts.getInt(DURATION) & 0xffffffffL);
    }
}
