package io.headerlog.collector.bpf;

import com.sun.jna.Memory;

/** Reads the kernel id of a BPF program or link from its fd (struct bpf_prog_info / bpf_link_info). */
final class ObjectInfo {
    private ObjectInfo() {}

    /** Both info structs start with {@code __u32 type; __u32 id;}; the kernel fills what fits. */
    private static final int PREFIX_BYTES = 8;
    private static final int ID_OFFSET = 4;

    static int id(int fd, String what) {
        Memory info = new Memory(PREFIX_BYTES);
        info.clear();
        int[] len = {PREFIX_BYTES};
        int rc = LibBpf.bpf_obj_get_info_by_fd(fd, info, len);
        if (rc < 0) {
            throw new BpfException("reading the id of the " + what + " failed: " + CaptureProgram.strerror(-rc), -rc);
        }
        return info.getInt(ID_OFFSET);
    }
}
