package io.headerlog.collector.bpf;

/** The running kernel's major.minor version, for errors that depend on kernel features. */
record KernelVersion(int major, int minor) {

    static KernelVersion current() {
        return parse(System.getProperty("os.version", ""));
    }

    /** Parses "6.18.44-fc" style release strings; unknown formats give 0.0. */
    static KernelVersion parse(String release) {
        String[] parts = release.split("[.\\-+]", 3);
        try {
            return new KernelVersion(Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
        } catch (NumberFormatException e) {
            return new KernelVersion(0, 0);
        }
    }

    boolean atLeast(int wantMajor, int wantMinor) {
        return major > wantMajor || major == wantMajor && minor >= wantMinor;
    }

    boolean known() {
        return major > 0;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
