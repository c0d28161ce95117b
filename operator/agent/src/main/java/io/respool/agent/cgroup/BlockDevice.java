package io.respool.agent.cgroup;

/**
 * A block device the agent sets per-device I/O values on.
 *
 * @param name      kernel name ({@code vda}, {@code nvme0n1})
 * @param majMin    "major:minor", the key cgroup per-device files use
 * @param scheduler the active I/O scheduler ({@code bfq}, {@code mq-deadline}, {@code none}), or
 *                  null when unknown
 */
public record BlockDevice(String name, String majMin, String scheduler) {

    /** Whether the scheduler honours cgroup I/O weights (only BFQ does among the stock ones). */
    public boolean honoursWeights() {
        return "bfq".equals(scheduler);
    }
}
