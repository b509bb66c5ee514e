package io.headerlog.benchmarks.capture;

import java.util.Optional;

/**
 * What is attached to B's veth end while the throughput phase measures: nothing, the count-only
 * program, or a running collector.
 */
sealed interface Attachment extends AutoCloseable {

    String label();

    /** Kernel run time of the attached programs so far (zero runs when nothing is attached). */
    ProgramRunTime runTime();

    /** CPU used so far by the user-space process that reads the records, if there is one. */
    Optional<ProcessCpu> cpu();

    /** CPU per thread group of that process, if there is one. */
    default Optional<ThreadCpu> threads() {
        return Optional.empty();
    }

    /** Detaches; a collector returns its final accounting. */
    Optional<CollectorSummary> detach();

    @Override
    default void close() {
        detach();
    }

    /** Nothing attached: the baseline. */
    record Nothing() implements Attachment {
        @Override
        public String label() {
            return "no program";
        }

        @Override
        public ProgramRunTime runTime() {
            return ProgramRunTime.NONE;
        }

        @Override
        public Optional<ProcessCpu> cpu() {
            return Optional.empty();
        }

        @Override
        public Optional<CollectorSummary> detach() {
            return Optional.empty();
        }
    }

    /** bpf/count_only.bpf.c on ingress and egress. */
    record CountOnly(CountOnlyProgram program) implements Attachment {
        @Override
        public String label() {
            return "count-only program";
        }

        @Override
        public ProgramRunTime runTime() {
            return program.runTime();
        }

        @Override
        public Optional<ProcessCpu> cpu() {
            return Optional.empty();
        }

        @Override
        public Optional<CollectorSummary> detach() {
            program.close();
            return Optional.empty();
        }
    }

    /** The collector jar. */
    record Collector(CollectorRun run) implements Attachment {
        @Override
        public String label() {
            return run.spec().label();
        }

        @Override
        public ProgramRunTime runTime() {
            return run.runTime();
        }

        @Override
        public Optional<ProcessCpu> cpu() {
            return Optional.of(run.cpu());
        }

        @Override
        public Optional<ThreadCpu> threads() {
            return Optional.of(ThreadCpu.of(run.pid()));
        }

        @Override
        public Optional<CollectorSummary> detach() {
            try {
                return Optional.of(run.stop());
            } finally {
                run.close();
            }
        }
    }
}
