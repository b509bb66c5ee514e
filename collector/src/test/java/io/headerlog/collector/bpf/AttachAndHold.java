package io.headerlog.collector.bpf;

/**
 * Child process for {@link TcxDetachIT}: loads the capture program, attaches it to an interface of a
 * namespace, prints the ids and waits to be killed (exits by itself after two minutes, so a crashed
 * test cannot leave it behind).
 *
 * <p>Arguments: namespace, interface name.
 */
public final class AttachAndHold {
    private AttachAndHold() {}

    public static void main(String[] args) throws InterruptedException {
        CaptureProgram program = CaptureProgram.load(new CaptureConfig(64, 1 << 16, 0));
        int[] ids = NetNs.call(args[0], () -> {
            int ifindex = Interfaces.indexOf(args[1]);
            TcxLink in = program.attach(ifindex, Direction.INGRESS);
            TcxLink out = program.attach(ifindex, Direction.EGRESS);
            return new int[] {in.linkId(), out.linkId(), program.programId(Direction.INGRESS), program.programId(Direction.EGRESS)};
        });
        System.out.println("ATTACHED " + ids[0] + " " + ids[1] + " " + ids[2] + " " + ids[3]);
        System.out.flush();
        Thread.sleep(120_000);
    }
}
