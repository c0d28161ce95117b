package io.respool.agent.cgroup;

/**
 * Ranges the kernel accepts for the values the agent writes, and the clamping the agent does when
 * it is safe. Every clamp is reported, never silent.
 */
final class KernelRange {

    /** cgroup v1 cpu.shares. */
    static final long MIN_SHARES = 2;
    static final long MAX_SHARES = 262_144;
    /** cgroup v2 cpu.weight. */
    static final long MIN_WEIGHT = 1;
    static final long MAX_WEIGHT = 10_000;
    /** CFS bandwidth: quota at least 1 ms, at most the kernel's 2^44 - 1 us; period 1 ms .. 1 s. */
    static final long MIN_QUOTA_US = 1_000;
    static final long MAX_QUOTA_US = (1L << 44) - 1;
    static final long MIN_PERIOD_US = 1_000;
    static final long MAX_PERIOD_US = 1_000_000;
    /**
     * The smallest memory cap the agent writes: below it a pod cannot even start its runtime's
     * shim, and the OOM killer would end it at once (runc refuses limits under 6 MiB for the same
     * reason). A smaller cap in a plan is a bug upstream; clamping up keeps the pod alive.
     */
    static final long MIN_MEMORY_CAP = 6L << 20;
    /** v1 reports "no limit" as PAGE_COUNTER_MAX pages: anything this large is unlimited. */
    static final long V1_UNLIMITED_THRESHOLD = 1L << 62;
    /** io.weight (iocost) and io.bfq.weight / blkio.bfq.weight ranges. */
    static final long MAX_IO_WEIGHT = 10_000;
    static final long MAX_BFQ_WEIGHT = 1_000;
    /** v1 CFQ blkio.weight. */
    static final long MIN_BLKIO_WEIGHT = 10;

    /** A value after the range check: the text to write, and what was changed (null: nothing). */
    record Checked(String value, String note) {
    }

    private KernelRange() {
    }

    /**
     * Clamps an integer value into lo..hi. Text that is one of {@code specials} passes unchanged;
     * text that is not an integer is returned as is for the kernel to judge.
     */
    static Checked clamp(String file, String value, long lo, long hi, String... specials) {
        String v = value.trim();
        for (String s : specials) {
            if (s.equals(v)) {
                return new Checked(v, null);
            }
        }
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            return new Checked(v, null);
        }
        if (n < lo) {
            return new Checked(Long.toString(lo), file + " " + v + " is below the kernel's minimum " + lo
                    + "; clamped to " + lo);
        }
        if (n > hi) {
            return new Checked(Long.toString(hi), file + " " + v + " is above the kernel's maximum " + hi
                    + "; clamped to " + hi);
        }
        return new Checked(v, null);
    }

    /** Memory caps: "max"/"-1" pass; anything else at least {@link #MIN_MEMORY_CAP}. */
    static Checked memoryCap(String file, String value) {
        Checked c = clamp(file, value, MIN_MEMORY_CAP, Long.MAX_VALUE, "max", "-1");
        if (c.note() == null) {
            return c;
        }
        return new Checked(c.value(), file + " " + value.trim() + " is below the smallest memory cap the agent"
                + " writes (" + MIN_MEMORY_CAP + " bytes, under which the pod would be OOM-killed at once);"
                + " clamped to " + MIN_MEMORY_CAP);
    }

    /** Whether two values of a file mean the same to the kernel. */
    static boolean same(String file, String desired, String actual) {
        if (actual == null) {
            return false;
        }
        String d = desired.trim();
        String a = actual.trim();
        if (d.equals(a)) {
            return true;
        }
        if (file.equals("io.weight") || file.equals("io.bfq.weight")) {
            // "default 100" then optional per-device lines: the default is what the agent sets.
            return a.lines().findFirst().map(String::trim).orElse("").equals(d);
        }
        if (file.startsWith("memory.") && (d.equals("-1") || d.equals("max"))) {
            try {
                return Long.parseLong(a) >= V1_UNLIMITED_THRESHOLD;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }
}
