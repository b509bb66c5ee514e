package io.headerlog.collector.bpf;

/**
 * Child process for {@link CaptureProgramErrorsIT}: loads the capture program once and prints
 * "LOADED" or "ERROR " + the one-line message, so a test can run it with fewer privileges.
 */
public final class LoadAndReport {
    private LoadAndReport() {}

    public static void main(String[] args) {
        try (CaptureProgram program = CaptureProgram.load(new CaptureConfig(64, 1 << 16, 0))) {
            System.out.println("LOADED " + program.programId(Direction.INGRESS));
        } catch (BpfException e) {
            System.out.println("ERROR " + e.getMessage());
        }
    }
}
