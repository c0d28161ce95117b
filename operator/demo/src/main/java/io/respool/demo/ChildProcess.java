package io.respool.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process this JVM started (a control-plane binary or a child operator JVM), with its output in
 * a log file. Stopping ends the whole process tree: SIGTERM first, SIGKILL after a grace period.
 */
public final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code command} with stdout and stderr appended to {@code log}.
     *
     * @param env extra environment variables (added to this JVM's)
     */
    public static ChildProcess start(String name, List<String> command, Map<String, String> env, Path workDir,
                                     Path log) {
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().putAll(env);
        try {
            return new ChildProcess(name, pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + " (" + command.get(0) + ")", e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** The exit status, or null while it runs. */
    public Integer exitValue() {
        return process.isAlive() ? null : process.exitValue();
    }

    /** The last {@code lines} lines of its log (for error messages). */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGKILL to the process and its descendants, at once (a crash, as far as others can tell). */
    public void kill() {
        List<ProcessHandle> tree = tree();
        tree.forEach(ProcessHandle::destroyForcibly);
        waitFor(tree, Duration.ofSeconds(10));
    }

    /** SIGTERM to the process and its descendants; SIGKILL to whatever still runs after {@code grace}. */
    public void stop(Duration grace) {
        List<ProcessHandle> tree = tree();
        tree.forEach(ProcessHandle::destroy);
        if (!waitFor(tree, grace)) {
            tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            waitFor(tree, Duration.ofSeconds(10));
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }

    /** The process and every descendant, children before the process itself is last. */
    private List<ProcessHandle> tree() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        return all;
    }

    private static boolean waitFor(List<ProcessHandle> handles, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle h : handles) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return handles.stream().noneMatch(ProcessHandle::isAlive);
            }
            try {
                h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                return handles.stream().noneMatch(ProcessHandle::isAlive);
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
