package io.respool.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.respool.agent.AgentConfig;
import io.respool.agent.NodeTargets;
import io.respool.agent.Targets;
import io.respool.agent.cgroup.CgroupDriver;
import io.respool.agent.cgroup.CgroupVersion;
import io.respool.agent.enforce.PlanEnforcer;
import io.respool.agent.http.AgentMetrics;
import io.respool.agent.report.DimensionReport;
import io.respool.agent.report.NodeReport;
import io.respool.agent.report.WorkloadReport;
import io.respool.engine.Dimension;
import io.respool.engine.Quantities;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The agent on a real cgroup v2 hierarchy, wherever the host mounts one: a systemd-driver
 * subtree of its own below the mount, used as the agent's (nested) cgroup root. With the cpu and
 * memory controllers available, the exact values and ancestors' memory.min are checked; without
 * them (a hybrid host whose controllers are bound to v1), the agent must say so per dimension,
 * and that part is skipped with the reason.
 */
class CgroupV2HierarchyTest {

    static final long MI = 1 << 20;

    Path mount;
    Path top;
    String uid;
    Process busy;

    /** The first cgroup2 mount in /proc/self/mountinfo, or null. */
    static Path cgroup2Mount() throws IOException {
        Path mountinfo = Path.of("/proc/self/mountinfo");
        if (!Files.isReadable(mountinfo)) {
            return null;
        }
        for (String line : Files.readAllLines(mountinfo)) {
            // id parent major:minor root mountpoint options [optional...] - fstype source superoptions
            String[] halves = line.split(" - ", 2);
            if (halves.length == 2 && halves[1].startsWith("cgroup2 ")) {
                return Path.of(halves[0].split(" ")[4]);
            }
        }
        return null;
    }

    @BeforeEach
    void createSubtree() throws IOException {
        mount = cgroup2Mount();
        assumeTrue(mount != null, "no cgroup2 hierarchy mounted on this host");
        top = mount.resolve("respool-test-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectory(top);
        } catch (IOException e) {
            assumeTrue(false, "cannot create a cgroup under " + mount + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "): not root?");
        }
        uid = UUID.randomUUID().toString();
        Files.createDirectories(top.resolve(pod()));
    }

    String pod() {
        return "kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + uid.replace('-', '_') + ".slice";
    }

    @AfterEach
    void removeSubtree() throws Exception {
        if (busy != null) {
            busy.destroyForcibly();
            busy.waitFor(10, TimeUnit.SECONDS);
        }
        if (top == null || !Files.exists(top)) {
            return;
        }
        List<Path> dirs;
        try (Stream<Path> s = Files.walk(top)) {
            dirs = s.filter(Files::isDirectory).sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
        }
        for (Path d : dirs) {
            for (int attempt = 0; ; attempt++) {
                try {
                    Files.delete(d);
                    break;
                } catch (IOException e) {
                    if (attempt == 50) {
                        throw e;
                    }
                    Thread.sleep(20);
                }
            }
        }
    }

    PlanEnforcer agent() {
        // No smoothing of demand (1 ms time constant): each pass's estimate stands alone.
        return new PlanEnforcer(AgentConfig.defaults("node-1").withCgroupRoot(top)
                .withPeriods(java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(30),
                        java.time.Duration.ofMillis(1)), new AgentMetrics(), Clock.systemUTC());
    }

    static NodeTargets plan(String uid) {
        return Targets.node(1, Targets.container("web", uid, Map.of(
                Dimension.CPU, Targets.target(250, 0, 500, 1000),
                Dimension.MEMORY, Targets.target(512 * MI, 256 * MI, 1024 * MI, 10240))));
    }

    List<String> controllers(Path dir) throws IOException {
        String text = Files.readString(dir.resolve("cgroup.controllers")).trim();
        return text.isEmpty() ? List.of() : List.of(text.split("\\s+"));
    }

    @Test
    void findsThePodAndMeasuresItAndSaysWhichControllersAreMissing() throws Exception {
        List<String> available = controllers(top.resolve(pod()));
        PlanEnforcer agent = agent();

        NodeReport first = agent.enforce(plan(uid));

        assertThat(first.version()).isEqualTo(CgroupVersion.V2);
        assertThat(first.driver()).isEqualTo(CgroupDriver.SYSTEMD);
        WorkloadReport w = first.workloads().get(0);
        assertThat(w.found()).isTrue();
        assertThat(w.cgroupPath()).isEqualTo(pod());
        for (DimensionReport d : w.enforcement()) {
            String controller = d.dimension() == Dimension.CPU ? "cpu" : "memory";
            if (!available.contains(controller)) {
                assertThat(d.enforced()).isFalse();
                assertThat(d.reason()).isEqualTo("ControllerUnavailable");
                assertThat(d.message()).contains("does not exist");
            }
        }
        System.out.printf("real cgroup v2 at %s: controllers in the pod cgroup %s; enforcement %s%n", mount, available,
                w.enforcement().stream().map(d -> d.dimension().jsonName() + "=" + d.reason()).toList());

        // cpu.stat and cpu.pressure exist on every v2 cgroup: usage is measured even without controllers.
        assumeTrue(KernelV1Tree.onPath("taskset"), "taskset is not installed");
        busy = new ProcessBuilder("taskset", "-c", Integer.toString(KernelV1Tree.cpu()), "sh", "-c",
                "read go; while :; do :; done").start();
        Files.writeString(top.resolve(pod()).resolve("cgroup.procs"), Long.toString(busy.pid()));
        OutputStream in = busy.getOutputStream();
        in.write("go\n".getBytes());
        in.flush();
        Thread.sleep(300);
        agent.enforce(plan(uid));
        Thread.sleep(1000);
        WorkloadReport measured = agent.enforce(plan(uid)).workloads().get(0);
        System.out.printf("real cgroup v2: one busy thread measured at %dm, demand %dm%n",
                measured.usage().cpuMillicores(), measured.demand().cpuMillicores());
        assertThat(measured.usage().cpuMillicores()).isBetween(50L, 1100L);
        assertThat(measured.demand().cpuMillicores()).isGreaterThanOrEqualTo(measured.usage().cpuMillicores() - 10);
    }

    @Test
    void writesExactValuesAndAncestorsMemoryMinWhereControllersAreAvailable() throws Exception {
        List<String> atMount = controllers(mount);
        String subtree = Files.readString(mount.resolve("cgroup.subtree_control")).trim();
        assumeTrue(atMount.contains("cpu") && atMount.contains("memory") && subtree.contains("cpu")
                        && subtree.contains("memory"),
                "the cgroup2 hierarchy at " + mount + " offers no cpu and memory controllers to its children"
                        + " (cgroup.controllers: \"" + String.join(" ", atMount) + "\", subtree_control: \"" + subtree
                        + "\"); on this host they are bound to the cgroup v1 hierarchies");
        for (Path d : List.of(top, top.resolve("kubepods.slice"), top.resolve("kubepods.slice/kubepods-burstable.slice"))) {
            Files.writeString(d.resolve("cgroup.subtree_control"), "+cpu +memory");
        }

        WorkloadReport w = agent().enforce(plan(uid)).workloads().get(0);

        Path p = top.resolve(pod());
        assertThat(Files.readString(p.resolve("cpu.weight")).trim()).isEqualTo("10");
        assertThat(Files.readString(p.resolve("cpu.max")).trim()).isEqualTo("50000 100000");
        assertThat(Files.readString(p.resolve("memory.min")).trim()).isEqualTo(Long.toString(256 * MI));
        assertThat(Files.readString(p.resolve("memory.max")).trim()).isEqualTo(Long.toString(1024 * MI));
        assertThat(Files.readString(top.resolve("kubepods.slice/kubepods-burstable.slice/memory.min")).trim())
                .isEqualTo(Long.toString(256 * MI));
        assertThat(Files.readString(top.resolve("kubepods.slice/memory.min")).trim())
                .isEqualTo(Long.toString(256 * MI));
        assertThat(w.enforcement()).allMatch(DimensionReport::enforced);
        assertThat(Quantities.UNLIMITED).isPositive();
    }
}
