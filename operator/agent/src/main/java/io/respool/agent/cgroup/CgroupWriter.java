package io.respool.agent.cgroup;

import io.respool.engine.CgroupValues;
import java.util.Collection;
import java.util.List;

/**
 * Writes rendered cgroup values ({@link io.respool.engine.CgroupRenderer}) into pod cgroups,
 * idempotently: a file already holding its value is not written. Writes stay inside the pod
 * cgroups given, except for what the hierarchy requires of their ancestors (v2 memory.min).
 * Never throws for a problem with one file: every file gets a {@link FileOutcome}.
 */
public interface CgroupWriter {

    CgroupVersion version();

    /** Applies the values for this writer's version to one pod's cgroup. */
    List<FileOutcome> apply(PodCgroup pod, CgroupValues values);

    /**
     * After every pod is applied: brings shared ancestors in line with their children (on v2 each
     * ancestor's memory.min becomes the sum of its children's; nothing on v1).
     */
    List<FileOutcome> reconcileAncestors(Collection<PodCgroup> pods);

    /**
     * Puts back a value the agent found before it first wrote the file (the workload left the plan
     * or the dimension was dropped). Per-device files are reset to unlimited.
     */
    FileOutcome restore(PodCgroup pod, String file, String original);
}
