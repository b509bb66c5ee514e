package io.headerlog.tools.stack;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What a running stack supervisor publishes in {@code <data dir>/stack.json}, so `stack stop` and
 * `stack status` in another shell can find it.
 *
 * @param supervisorStartMs when the supervisor process started (epoch ms): with the pid it
 *                          identifies the process even after its pid is reused
 * @param status "starting" until both children answer, then "ready"
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StackState(long supervisorPid, long supervisorStartMs, String status, String dataDir, String bootstrapServers,
        String registryUrl, long brokerPid, long registryPid, long brokerStartupMs, long registryStartupMs,
        String startedAt) {

    public static final String STARTING = "starting";
    public static final String READY = "ready";

    private static final ObjectMapper JSON = new ObjectMapper();

    @JsonIgnore
    public boolean isReady() {
        return READY.equals(status);
    }

    /** The start time of a live process, which with the pid identifies it. */
    static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L);
    }

    /** Whether the recorded supervisor process still runs (same pid and same start time). */
    @JsonIgnore
    public boolean isSupervisorAlive() {
        return supervisorPid > 0 && ProcessHandle.of(supervisorPid).filter(ProcessHandle::isAlive)
                .map(p -> startMillis(p) == supervisorStartMs).orElse(false);
    }

    /** Written to a temporary file and moved into place, so readers never see half a file. */
    public void writeTo(Path file) {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), this);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StackException("Cannot write the stack state " + file + ": " + e.getMessage(), e);
        }
    }

    public static Optional<StackState> readFrom(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), StackState.class));
        } catch (IOException e) {
            throw new StackException("Cannot read the stack state " + file + " (" + e.getMessage()
                    + "); if no stack runs, delete it", e);
        }
    }
}
