package io.headerlog.collector.bpf;

import com.sun.jna.Pointer;

/**
 * Finds a global variable in a data section through the object's BTF, so the loader writes
 * {@code hl_cfg} where the compiler actually put it instead of assuming offset 0.
 */
final class BtfVars {
    private BtfVars() {}

    /** sizeof(struct btf_type) and sizeof(struct btf_var_secinfo), from linux/btf.h. */
    private static final int BTF_TYPE_BYTES = 12;
    private static final int SECINFO_BYTES = 12;

    static int offsetInDatasec(Pointer obj, String section, String variable, int expectedSize) {
        Pointer btf = LibBpf.bpf_object__btf(obj);
        if (btf == null) {
            throw new BpfException(CaptureProgram.OBJECT_RESOURCE + " has no BTF; bpf/build.sh must compile with -g");
        }
        int id = LibBpf.btf__find_by_name_kind(btf, section, LibBpf.BTF_KIND_DATASEC);
        if (id < 0) {
            throw new BpfException(CaptureProgram.OBJECT_RESOURCE + " has no " + section + " section in its BTF;"
                    + " capture.bpf.c must define the const volatile " + variable);
        }
        Pointer sec = LibBpf.btf__type_by_id(btf, id);
        int vlen = sec.getInt(4) & 0xffff;
        for (int i = 0; i < vlen; i++) {
            Pointer info = sec.share(BTF_TYPE_BYTES + (long) i * SECINFO_BYTES);
            Pointer var = LibBpf.btf__type_by_id(btf, info.getInt(0));
            if (var != null && variable.equals(LibBpf.btf__name_by_offset(btf, var.getInt(0)))) {
                int size = info.getInt(8);
                if (size != expectedSize) {
                    throw new BpfException(variable + " is " + size + " bytes in " + CaptureProgram.OBJECT_RESOURCE
                            + " but EventLayout expects " + expectedSize + "; capture.h and EventLayout disagree");
                }
                return info.getInt(4);
            }
        }
        throw new BpfException(CaptureProgram.OBJECT_RESOURCE + " has no variable " + variable + " in " + section);
    }
}
