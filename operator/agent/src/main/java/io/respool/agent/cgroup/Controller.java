package io.respool.agent.cgroup;

/**
 * The cgroup controllers the agent uses. On v1 each is its own hierarchy (possibly co-mounted,
 * e.g. {@code cpu,cpuacct}); on v2 they all live in the unified hierarchy.
 */
public enum Controller {
    CPU("cpu"),
    CPUACCT("cpuacct"),
    MEMORY("memory"),
    BLKIO("blkio");

    private final String v1Name;

    Controller(String v1Name) {
        this.v1Name = v1Name;
    }

    /** The controller's name in a v1 mount's options and directory name. */
    public String v1Name() {
        return v1Name;
    }

    /** The v1 controller a v1 file belongs to, by its prefix ({@code cpu.shares} → cpu). */
    public static Controller ofV1File(String file) {
        if (file.startsWith("cpuacct.")) {
            return CPUACCT;
        }
        if (file.startsWith("cpu.")) {
            return CPU;
        }
        if (file.startsWith("memory.")) {
            return MEMORY;
        }
        if (file.startsWith("blkio.")) {
            return BLKIO;
        }
        throw new IllegalArgumentException("no v1 controller for cgroup file \"" + file + "\"");
    }
}
