package io.headerlog.collector.bpf;

import com.sun.jna.Callback;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct JNA mapping of the libbpf 1.1 functions the collector uses (Debian's {@code libbpf.so.1}).
 *
 * <p>libbpf 1.x conventions: int-returning functions return a negative errno on failure;
 * pointer-returning ones return NULL and set errno (read it with {@link Native#getLastError()}).
 *
 * <p>libbpf's own log lines (including the verifier log of a failed load) are routed to slf4j and,
 * while {@link #captureLog} is active on the calling thread, collected so a failure can report them.
 */
public final class LibBpf {
    private LibBpf() {}

    private static final Logger LOG = LoggerFactory.getLogger("libbpf");
    private static final String LIBRARY = "libbpf.so.1";
    private static final Throwable LOAD_FAILURE;
    private static final ThreadLocal<StringBuilder> CAPTURE = new ThreadLocal<>();
    private static final Pattern PROG_FAILED = Pattern.compile("prog '([^']+)': BPF program load failed");
    /** Verifier log lines that show instructions or register state rather than the error. */
    private static final Pattern INSN_DUMP = Pattern.compile("^(\\d+: |; |-- |libbpf: |R\\d+=)");

    /** enum libbpf_print_level */
    private static final int LIBBPF_WARN = 0;
    private static final int LIBBPF_INFO = 1;

    /** enum bpf_attach_type values of TCX (kernel 6.6); Debian's UAPI headers predate them. */
    public static final int BPF_TCX_INGRESS = 46;
    public static final int BPF_TCX_EGRESS = 47;
    /** enum btf_kind */
    public static final int BTF_KIND_VAR = 14;
    public static final int BTF_KIND_DATASEC = 15;

    /** libbpf_print_fn_t: {@code int (*)(enum libbpf_print_level, const char *fmt, va_list ap)}. */
    public interface PrintFn extends Callback {
        int invoke(int level, String format, Pointer args);
    }

    // Held in a static field: libbpf keeps the function pointer, so the callback must never be collected.
    private static final PrintFn PRINT = LibBpf::print;

    static {
        Throwable failure = null;
        try {
            Native.register(LibBpf.class, NativeLibrary.getInstance(LIBRARY));
            libbpf_set_print(PRINT);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            failure = e;
        }
        LOAD_FAILURE = failure;
    }

    /** Throws a {@link BpfException} with the fix when libbpf.so.1 could not be loaded. */
    public static void ensureLoaded() {
        if (LOAD_FAILURE != null) {
            throw new BpfException(LIBRARY + " could not be loaded (" + firstLine(LOAD_FAILURE.getMessage())
                    + "); install it with `apt-get install libbpf1`", 0, String.valueOf(LOAD_FAILURE), LOAD_FAILURE);
        }
    }

    public static native Pointer bpf_object__open_mem(Pointer objBuf, long objBufSize, Pointer opts);

    public static native int bpf_object__load(Pointer obj);

    public static native void bpf_object__close(Pointer obj);

    public static native Pointer bpf_object__find_map_by_name(Pointer obj, String name);

    public static native Pointer bpf_object__find_program_by_name(Pointer obj, String name);

    public static native Pointer bpf_object__btf(Pointer obj);

    public static native int bpf_map__set_max_entries(Pointer map, int maxEntries);

    /** Returns the map's initial contents (for .rodata: writable until load); size goes to psize[0]. */
    public static native Pointer bpf_map__initial_value(Pointer map, long[] psize);

    public static native int bpf_map__fd(Pointer map);

    public static native int bpf_program__fd(Pointer prog);

    public static native int bpf_link_create(int progFd, int targetFd, int attachType, Pointer opts);

    public static native int bpf_link_detach(int linkFd);

    public static native int bpf_map_lookup_elem(int fd, Pointer key, Pointer value);

    /** flags: {@link #BPF_ANY}, {@link #BPF_NOEXIST} or {@link #BPF_EXIST}; 0 or -errno. */
    public static native int bpf_map_update_elem(int fd, Pointer key, Pointer value, long flags);

    /** 0, or -errno (-ENOENT when there is no such key). */
    public static native int bpf_map_delete_elem(int fd, Pointer key);

    /**
     * Copies up to {@code count[0]} entries into {@code keys}/{@code values} and deletes them; on return
     * {@code count[0]} holds how many were copied. {@code inBatch} is null for the first call, then the
     * previous call's {@code outBatch}. Returns 0 while more may follow, -ENOENT after the last entries
     * (count[0] of them still copied), or another -errno.
     */
    public static native int bpf_map_lookup_and_delete_batch(int fd, Pointer inBatch, Pointer outBatch, Pointer keys,
            Pointer values, int[] count, Pointer opts);

    /** As {@link #bpf_map_lookup_and_delete_batch} without the delete (arrays, whose entries cannot be deleted). */
    public static native int bpf_map_lookup_batch(int fd, Pointer inBatch, Pointer outBatch, Pointer keys, Pointer values,
            int[] count, Pointer opts);

    /** Writes {@code count[0]} entries in order; on return {@code count[0]} holds how many were written. 0 or -errno. */
    public static native int bpf_map_update_batch(int fd, Pointer keys, Pointer values, int[] count, Pointer opts);

    /** Runs a program once or {@code repeat} times on given input (BPF_PROG_TEST_RUN); 0 or -errno. */
    public static native int bpf_prog_test_run_opts(int progFd, Pointer opts);

    /** enum bpf_map_update flags */
    public static final long BPF_ANY = 0;
    public static final long BPF_NOEXIST = 1;
    public static final long BPF_EXIST = 2;

    public static native int libbpf_num_possible_cpus();

    /** Fills struct bpf_prog_info / bpf_link_info (a prefix of infoLen[0] bytes suffices); 0 or -errno. */
    public static native int bpf_obj_get_info_by_fd(int fd, Pointer info, int[] infoLen);

    public static native int btf__find_by_name_kind(Pointer btf, String name, int kind);

    /** Points to a {@code struct btf_type} (12 bytes) followed by its kind-specific data. */
    public static native Pointer btf__type_by_id(Pointer btf, int id);

    public static native String btf__name_by_offset(Pointer btf, int offset);

    public static native Pointer libbpf_set_print(PrintFn fn);

    /**
     * Collects libbpf's warnings on this thread until the returned handle is closed; call
     * {@link LogCapture#text()} to get them (e.g. the verifier log after a failed load).
     */
    public static LogCapture captureLog() {
        StringBuilder sb = new StringBuilder();
        CAPTURE.set(sb);
        return new LogCapture(sb);
    }

    /** The libbpf output collected on one thread; see {@link #captureLog()}. */
    public static final class LogCapture implements AutoCloseable {
        private final StringBuilder sb;

        private LogCapture(StringBuilder sb) {
            this.sb = sb;
        }

        public String text() {
            return sb.toString();
        }

        /**
         * The verifier's own complaint for a one-line error: the program that failed and the message
         * lines just before the "processed N insns" line, without the instruction dump around them.
         */
        public String verifierSummary() {
            List<String> lines = sb.toString().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            String program = "";
            Deque<String> message = new ArrayDeque<>();
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                Matcher m = PROG_FAILED.matcher(l);
                if (m.find() && program.isEmpty()) {
                    program = m.group(1);
                }
                if (l.startsWith("processed ") && message.isEmpty()) {
                    for (int j = i - 1; j >= 0 && message.size() < 2 && !INSN_DUMP.matcher(lines.get(j)).find(); j--) {
                        message.addFirst(lines.get(j));
                    }
                }
            }
            String text = message.isEmpty() ? "no verifier message in the libbpf log" : String.join(" | ", message);
            return program.isEmpty() ? text : "program " + program + ": " + text;
        }

        @Override
        public void close() {
            CAPTURE.remove();
        }
    }

    private static int print(int level, String format, Pointer args) {
        StringBuilder sb = CAPTURE.get();
        boolean wanted = level == LIBBPF_WARN || sb != null && level <= LIBBPF_INFO || LOG.isDebugEnabled();
        if (!wanted) {
            return 0;
        }
        // va_list can be consumed once, so format once into a buffer large enough for a verifier line.
        byte[] buf = new byte[4096];
        int n = LibC.INSTANCE.vsnprintf(buf, buf.length, format, args);
        String line = new String(buf, 0, Math.max(0, Math.min(n, buf.length - 1)), StandardCharsets.UTF_8).stripTrailing();
        if (sb != null && level <= LIBBPF_INFO) {
            // The caller turns these into its exception's details; logging them too would print a
            // verifier log of thousands of lines twice.
            sb.append(line).append('\n');
            LOG.debug(line);
        } else if (level == LIBBPF_WARN) {
            LOG.warn(line);
        } else {
            LOG.debug(line);
        }
        return 0;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }
}
