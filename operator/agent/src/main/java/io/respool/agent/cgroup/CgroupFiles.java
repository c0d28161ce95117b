package io.respool.agent.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads and writes single cgroup files, and the idempotent "make this file hold that value" step
 * both writers share: read, compare, write only when different, read back.
 *
 * <p>Files are opened for writing only, never created: a missing file means a missing controller
 * (or a removed cgroup), and the agent must not invent files in someone else's directory.
 */
final class CgroupFiles {

    private CgroupFiles() {
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).trim();
    }

    static void write(Path file, String value) throws IOException {
        Files.writeString(file, value, StandardCharsets.UTF_8,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Reads a file, or null when it is missing or unreadable. */
    static String readOrNull(Path file) {
        try {
            return read(file);
        } catch (IOException e) {
            return null;
        }
    }

    static String error(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        String reason = e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null
                ? fse.getReason() : e.getMessage();
        return reason == null ? e.getClass().getSimpleName() : reason;
    }

    /**
     * Makes {@code dir/file} hold {@code checked.value()}.
     *
     * @param name how the outcome names the file (its name, or a path relative to the pod)
     */
    static FileOutcome ensure(Path dir, String file, String name, KernelRange.Checked checked) {
        Path path = dir.resolve(file);
        String desired = checked.value();
        if (!Files.isRegularFile(path)) {
            return new FileOutcome(name, path, desired, null, null, false, FileOutcome.Status.MISSING,
                    path + " does not exist");
        }
        String previous;
        try {
            previous = read(path);
        } catch (IOException e) {
            return new FileOutcome(name, path, desired, null, null, false, FileOutcome.Status.FAILED,
                    "cannot read " + path + ": " + error(e));
        }
        FileOutcome.Status ok = checked.note() == null ? FileOutcome.Status.OK : FileOutcome.Status.CLAMPED;
        if (KernelRange.same(file, desired, previous)) {
            return new FileOutcome(name, path, desired, previous, previous, false, ok, checked.note());
        }
        try {
            write(path, desired);
        } catch (IOException e) {
            return new FileOutcome(name, path, desired, previous, previous, false, FileOutcome.Status.FAILED,
                    "cannot write \"" + desired + "\" to " + path + ": " + error(e));
        }
        String effective = readOrNull(path);
        if (effective != null && !KernelRange.same(file, desired, effective)) {
            return new FileOutcome(name, path, desired, previous, effective, true, FileOutcome.Status.FAILED,
                    "wrote \"" + desired + "\" to " + path + " but it reads \"" + effective + "\"");
        }
        return new FileOutcome(name, path, desired, previous, effective == null ? desired : effective, true, ok,
                checked.note());
    }
}
