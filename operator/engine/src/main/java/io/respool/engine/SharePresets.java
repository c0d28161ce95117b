package io.respool.engine;

/**
 * Resolves share levels to numbers, scaled by the owner's size as vSphere does (semantics.md
 * section 3). A pool counts as a 4-vCPU / 16-GiB VM.
 */
final class SharePresets {

    static final long MIB = 1024L * 1024;
    /** Per vCPU (cpu), per MiB (memory) or flat (disk, network) at level normal. */
    private static final long CPU_PER_VCPU = 1000;
    private static final long MEMORY_PER_MIB = 10;
    private static final long FLAT = 1000;
    private static final long POOL_VCPUS = 4;
    private static final long POOL_MEMORY_MIB = 16 * 1024;
    /** A container without a limit or reservation counts as 1 CPU / 1 GiB. */
    private static final long DEFAULT_CONTAINER_CPU = 1000;
    private static final long DEFAULT_CONTAINER_MEMORY = 1024 * MIB;

    private SharePresets() {
    }

    static long forPool(Dimension d, Shares s) {
        return switch (d) {
            case CPU -> resolve(s, CPU_PER_VCPU * POOL_VCPUS);
            case MEMORY -> resolve(s, MEMORY_PER_MIB * POOL_MEMORY_MIB);
            default -> resolve(s, FLAT);
        };
    }

    /**
     * @param cpuSize    size in millicores (VM: vCPUs × 1000; container: limit, else reservation)
     * @param memorySize size in bytes (VM: memory size; container: limit, else reservation)
     */
    static long forWorkload(WorkloadKind kind, Dimension d, Shares s, long cpuSize, long memorySize) {
        return switch (d) {
            case CPU -> {
                long size = cpuSize > 0 && cpuSize != Quantities.UNLIMITED ? cpuSize
                        : kind == WorkloadKind.CONTAINER ? DEFAULT_CONTAINER_CPU : 1000;
                // 1000 per vCPU: exactly the size in millicores at level normal.
                yield resolve(s, Math.max(1, size * CPU_PER_VCPU / 1000));
            }
            case MEMORY -> {
                long size = memorySize > 0 && memorySize != Quantities.UNLIMITED ? memorySize
                        : DEFAULT_CONTAINER_MEMORY;
                yield resolve(s, Math.max(1, size / MIB * MEMORY_PER_MIB));
            }
            default -> resolve(s, FLAT);
        };
    }

    /** The number for a level given the "normal" number; custom shares are taken as given. */
    private static long resolve(Shares s, long normal) {
        return switch (s.level()) {
            case LOW -> Math.max(1, normal / 2);
            case NORMAL -> normal;
            case HIGH -> normal * 2;
            case CUSTOM -> s.custom();
        };
    }

    /** Scalable-shares multiplier m of a child pool (section 3): 0.5 / 1 / 2, or S over the normal value. */
    static double scalableMultiplier(Dimension d, Shares s) {
        if (s.level() != Shares.Level.CUSTOM) {
            return s.levelFactor();
        }
        return (double) s.custom() / forPool(d, Shares.NORMAL);
    }
}
