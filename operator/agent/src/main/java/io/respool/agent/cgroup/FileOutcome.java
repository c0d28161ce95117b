package io.respool.agent.cgroup;

import java.nio.file.Path;

/**
 * What happened to one cgroup file in one pass.
 *
 * @param file      the file's name ({@code cpu.weight}); for files outside the pod's own directory
 *                  the path relative to it ({@code ../memory.min}, {@code app/cpu.cfs_quota_us})
 * @param path      the file on disk
 * @param desired   the value the agent wants there (after clamping), null when none applies
 * @param previous  the value found before this pass, null when unreadable or missing
 * @param effective the value in effect after this pass (read back), null when unknown
 * @param wrote     whether this pass wrote the file
 * @param status    the verdict
 * @param detail    why, for anything but {@link Status#OK}; null otherwise
 */
public record FileOutcome(String file, Path path, String desired, String previous, String effective,
                          boolean wrote, Status status, String detail) {

    public enum Status {
        /** The file holds the desired value (already did, or was written). */
        OK,
        /** The desired value was outside the kernel's range (or unsafe) and was clamped. */
        CLAMPED,
        /** The file does not exist: controller not mounted/enabled, or the cgroup is gone. */
        MISSING,
        /** Reading or writing failed; {@code detail} has the error. */
        FAILED
    }

    /** The file holds what the agent decided, possibly clamped. */
    public boolean applied() {
        return status == Status.OK || status == Status.CLAMPED;
    }
}
