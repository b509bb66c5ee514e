package io.headerlog.tools.view;

import java.io.PrintWriter;

/**
 * Writes rendered snapshots either in place (a terminal: clear and redraw) or one after another
 * (a pipe, log file or CI: escape codes would be noise there, and earlier snapshots stay readable).
 */
final class SnapshotPrinter {
    /** Cursor home, then erase the whole screen. */
    static final String ANSI_HOME_AND_CLEAR = "\033[H\033[2J";

    enum Mode { ANSI, PLAIN }

    private final PrintWriter out;
    private final Mode mode;

    SnapshotPrinter(PrintWriter out, Mode mode) {
        this.out = out;
        this.mode = mode;
    }

    /** ANSI when both stdin and stdout are a terminal (how the JDK decides there is a console). */
    static Mode detect(boolean forcePlain) {
        return !forcePlain && System.console() != null ? Mode.ANSI : Mode.PLAIN;
    }

    void print(String rendered) {
        if (mode == Mode.ANSI) {
            out.print(ANSI_HOME_AND_CLEAR);
            out.print(rendered);
        } else {
            out.print(rendered);
            out.println("--");
        }
        out.flush();
    }
}
