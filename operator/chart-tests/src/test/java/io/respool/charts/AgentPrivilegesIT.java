package io.respool.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The agent's securityContext in the chart is the honest minimum, checked on this machine's real
 * kernel: a process like the agent's container (uid 0, every capability dropped, no_new_privs, its
 * own mount and cgroup namespaces, the host's cgroup tree bind-mounted at another path) can write
 * a cgroup file; the same process as a non-root uid cannot; a read-only mount of the tree (what
 * container runtimes give a container at /sys/fs/cgroup) cannot be written either. Skipped, with
 * the reason, where the machine does not allow the experiment (not root, no writable cgroups, no
 * util-linux tools).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentPrivilegesIT {

    /** Like the agent's container: uid 0, no capabilities at all, no privilege escalation. */
    private static final String AS_AGENT = "setpriv --reuid=0 --regid=0 --clear-groups --inh-caps=-all"
            + " --bounding-set=-all --no-new-privs --";
    /** Like the operator's container: a non-root uid, no capabilities. */
    private static final String AS_NON_ROOT = "setpriv --reuid=65532 --regid=65532 --clear-groups --inh-caps=-all"
            + " --bounding-set=-all --no-new-privs --";

    private Path hierarchy;
    /** Where the hierarchy is bind-mounted, like the DaemonSet's /host/cgroup (a fresh directory). */
    private Path mountPoint;
    private Path cgroup;
    private String file;
    private String value;

    @BeforeAll
    void makeATestCgroup() throws IOException {
        assumeTrue(Files.readString(Path.of("/proc/self/status")).lines()
                .anyMatch(l -> l.matches("Uid:\\s+0\\s.*")), "needs root to create a test cgroup");
        for (String tool : List.of("setpriv", "unshare", "mount")) {
            assumeTrue(Cmd.run(List.of("sh", "-c", "command -v " + tool), Map.of(), 10).exit() == 0,
                    "needs " + tool + " (util-linux)");
        }
        Path root = Path.of("/sys/fs/cgroup");
        if (Files.exists(root.resolve("cgroup.controllers"))) {
            hierarchy = root;                       // cgroup v2: a core file every cgroup has
            file = "cgroup.max.depth";
            value = "7";
        } else {
            hierarchy = root.resolve("cpu");        // cgroup v1: the cpu controller's weight
            file = "cpu.shares";
            value = "512";
        }
        assumeTrue(Files.isWritable(hierarchy), "no writable cgroup hierarchy at " + hierarchy);
        cgroup = hierarchy.resolve("respool-chart-privileges-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectory(cgroup);
        } catch (IOException e) {
            assumeTrue(false, "cannot create a cgroup under " + hierarchy + ": " + e);
        }
        assumeTrue(Files.exists(cgroup.resolve(file)), "no " + file + " in a new cgroup under " + hierarchy);
        mountPoint = Files.createTempDirectory("respool-host-cgroup-");
    }

    @AfterAll
    void removeTheTestCgroup() throws IOException {
        if (cgroup != null) {
            Files.deleteIfExists(cgroup);
        }
        if (mountPoint != null) {
            Files.deleteIfExists(mountPoint);
        }
    }

    @Test
    void rootWithoutAnyCapabilityWritesCgroupsThroughABindMount() throws IOException {
        Cmd.Result r = inContainerLikeNamespaces("rw", AS_AGENT + " sh -c 'grep CapEff /proc/self/status;"
                + " echo " + value + " > " + mountPoint + "/" + cgroup.getFileName() + "/" + file + " && echo written'");
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.out()).contains("CapEff:\t0000000000000000", "written");
        assertThat(Files.readString(cgroup.resolve(file)).trim()).isEqualTo(value);
    }

    @Test
    void aNonRootUidCannot() {
        Cmd.Result r = inContainerLikeNamespaces("rw", AS_NON_ROOT + " sh -c 'echo 2 > " + mountPoint + "/"
                + cgroup.getFileName() + "/" + file + "'");
        assertThat(r.exit()).as(r.describe()).isNotZero();
        assertThat(r.err()).contains("Permission denied");
    }

    @Test
    void aReadOnlyMountCannotEvenAsRoot() {
        Cmd.Result r = inContainerLikeNamespaces("ro", AS_AGENT + " sh -c 'echo 2 > " + mountPoint + "/"
                + cgroup.getFileName() + "/" + file + "'");
        assertThat(r.exit()).as(r.describe()).isNotZero();
        assertThat(r.err()).contains("Read-only file system");
    }

    @Test
    void rootWithoutCapabilitiesReadsOtherProcessesSchedstat() {
        // The run-delay demand signal reads /proc/<tid>/schedstat of the pods' threads (hostPID).
        Cmd.Result r = Cmd.run(List.of("sh", "-c", AS_AGENT + " cat /proc/1/schedstat"), Map.of(), 30);
        assertThat(r.exit()).as(r.describe()).isZero();
        assertThat(r.out().trim()).matches("\\d+ \\d+ \\d+");
    }

    /**
     * Runs a command in new mount and cgroup namespaces (as a container has) with the hierarchy
     * bind-mounted at a directory of its own, read-write or read-only, as the DaemonSet's hostPath does.
     */
    private Cmd.Result inContainerLikeNamespaces(String mode, String command) {
        String script = "set -e; mount --bind " + hierarchy + " " + mountPoint + ";"
                + ("ro".equals(mode) ? " mount -o remount,bind,ro " + mountPoint + ";" : "") + " " + command;
        return Cmd.run(List.of("unshare", "--mount", "--cgroup", "--propagation", "private", "--", "sh", "-c", script),
                Map.of(), 30);
    }
}
