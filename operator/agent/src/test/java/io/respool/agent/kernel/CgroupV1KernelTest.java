package io.respool.agent.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.respool.agent.AgentConfig;
import io.respool.agent.NodeTargets;
import io.respool.agent.Targets;
import io.respool.agent.WorkloadTargets;
import io.respool.agent.cgroup.CgroupDriver;
import io.respool.agent.cgroup.CgroupVersion;
import io.respool.agent.enforce.ApplyLoop;
import io.respool.agent.enforce.PlanEnforcer;
import io.respool.agent.http.AgentMetrics;
import io.respool.agent.report.DimensionReport;
import io.respool.agent.report.NodeReport;
import io.respool.agent.report.WorkloadReport;
import io.respool.engine.Allocation;
import io.respool.engine.ClusterSpec;
import io.respool.engine.Dimension;
import io.respool.engine.Engine;
import io.respool.engine.NodeSpec;
import io.respool.engine.Plan;
import io.respool.engine.Quantities;
import io.respool.engine.Shares;
import io.respool.engine.WorkloadKind;
import io.respool.engine.WorkloadSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent on the real kernel's cgroup v1 controllers: a kubelet-shaped subtree of its own, real
 * busy processes pinned to one cpu, the agent's real code path from node targets to cgroup files,
 * and cpu time measured from cpuacct.usage. Skipped, with the reason, where cgroups are not
 * writable. Burns one cpu for about 3.5 s per cpu scenario.
 */
class CgroupV1KernelTest {

    static final long MI = 1 << 20;
    static final Duration WARM_UP = Duration.ofMillis(500);
    static final Duration WINDOW = Duration.ofSeconds(3);

    static KernelV1Tree tree;

    @BeforeAll
    static void createTree() throws IOException {
        String why = KernelV1Tree.unusableReason();
        assumeTrue(why == null, () -> "real-kernel cgroup v1 tests skipped: " + why);
        tree = new KernelV1Tree();
    }

    @AfterAll
    static void removeTree() throws IOException {
        if (tree != null) {
            tree.close();
        }
    }

    static PlanEnforcer agent(AgentMetrics metrics) {
        return new PlanEnforcer(config(Duration.ofSeconds(10)), metrics, Clock.systemUTC());
    }

    static AgentConfig config(Duration drift) {
        return AgentConfig.defaults("node-1").withKubepods(tree.kubepods(), CgroupDriver.CGROUPFS)
                .withPeriods(drift, Duration.ofSeconds(30), Duration.ofSeconds(1));
    }

    static WorkloadSpec vm(String name, Shares shares, long order) {
        return new WorkloadSpec(WorkloadKind.VIRTUAL_MACHINE, "lab", name, null, 1, 256 * MI,
                Map.of(Dimension.CPU, Allocation.DEFAULT.withShares(shares)), Map.of(), Map.of(), true, false,
                null, order);
    }

    static WorkloadSpec container(String name, long cpuReservation, long order) {
        return new WorkloadSpec(WorkloadKind.CONTAINER, "lab", name, null, 0, 0,
                Map.of(Dimension.CPU, Allocation.DEFAULT.withReservation(cpuReservation)), Map.of(), Map.of(), true,
                false, null, order);
    }

    static Plan oneCpuNode(List<WorkloadSpec> workloads) {
        NodeSpec node = new NodeSpec("node-1", Map.of(NodeSpec.KUBEVIRT_LABEL, "true"), true, true,
                Map.of(Dimension.CPU, 1000L, Dimension.MEMORY, 4096 * MI), Map.of());
        return Engine.compute(new ClusterSpec(List.of(), workloads, List.of(node), Map.of()));
    }

    /** Each pod's share of the cpu time all of them used, in percent, over the window. */
    static Map<String, Double> measureSplit(Map<String, String> uidByName, PlanEnforcer agent, NodeTargets plan)
            throws Exception {
        Thread.sleep(WARM_UP.toMillis());
        agent.enforce(plan); // the agent's own first sample
        Map<String, Long> before = new HashMap<>();
        for (var e : uidByName.entrySet()) {
            before.put(e.getKey(), tree.cpuNanos("burstable", e.getValue()));
        }
        Thread.sleep(WINDOW.toMillis());
        Map<String, Long> used = new HashMap<>();
        long total = 0;
        for (var e : uidByName.entrySet()) {
            long d = tree.cpuNanos("burstable", e.getValue()) - before.get(e.getKey());
            used.put(e.getKey(), d);
            total += d;
        }
        Map<String, Double> split = new HashMap<>();
        for (var e : used.entrySet()) {
            split.put(e.getKey(), 100.0 * e.getValue() / total);
        }
        return split;
    }

    @Test
    void classicExampleSplitsOneCpuQuarterQuarterHalf() throws Exception {
        Plan plan = oneCpuNode(List.of(vm("a", Shares.NORMAL, 0), vm("b", Shares.NORMAL, 1), vm("c", Shares.HIGH, 2)));
        Map<String, String> uids = new HashMap<>();
        for (String n : List.of("a", "b", "c")) {
            uids.put(n, tree.pod("burstable"));
        }
        NodeTargets targets = Targets.fromEngine(plan, "node-1", uids);
        assertThat(targets.workloads()).extracting(w -> w.targets().get(Dimension.CPU).weight())
                .containsExactly(250L, 250L, 500L);
        AgentMetrics metrics = new AgentMetrics();
        PlanEnforcer agent = agent(metrics);

        NodeReport report = agent.enforce(targets);

        assertThat(report.version()).isEqualTo(CgroupVersion.V1);
        assertThat(tree.read("cpu", "burstable", uids.get("a"), "cpu.shares")).isEqualTo("256");
        assertThat(tree.read("cpu", "burstable", uids.get("b"), "cpu.shares")).isEqualTo("256");
        assertThat(tree.read("cpu", "burstable", uids.get("c"), "cpu.shares")).isEqualTo("512");
        assertThat(report.workloads()).allMatch(w -> w.enforcement().get(0).enforced());

        List<Process> busy = new ArrayList<>();
        try {
            for (String n : List.of("a", "b", "c")) {
                busy.add(tree.busy("burstable", uids.get(n), null));
            }
            Map<String, Double> split = measureSplit(uids, agent, targets);
            NodeReport after = agent.enforce(targets);
            System.out.printf("classic split measured (cpuacct.usage, %d s on cpu %d): a %.2f%%, b %.2f%%, c %.2f%%%n",
                    WINDOW.toSeconds(), KernelV1Tree.cpu(), split.get("a"), split.get("b"), split.get("c"));
            assertThat(split.get("a")).isCloseTo(25.0, within(2.0));
            assertThat(split.get("b")).isCloseTo(25.0, within(2.0));
            assertThat(split.get("c")).isCloseTo(50.0, within(2.0));

            // The agent's own usage figures agree.
            long total = after.workloads().stream().mapToLong(w -> w.usage().cpuMillicores()).sum();
            double agentC = 100.0 * after.workloads().get(2).usage().cpuMillicores() / total;
            System.out.printf("agent-reported usage: a %dm, b %dm, c %dm (c = %.2f%%)%n",
                    after.workloads().get(0).usage().cpuMillicores(), after.workloads().get(1).usage().cpuMillicores(),
                    after.workloads().get(2).usage().cpuMillicores(), agentC);
            assertThat(agentC).isCloseTo(50.0, within(2.0));
        } finally {
            for (Process p : busy) {
                tree.stop(p);
            }
        }
    }

    @Test
    void aHalfCpuCapHoldsEvenOverAContainersLargerQuota() throws Exception {
        String uid = tree.pod("burstable");
        // The runtime gave the container a 1-cpu quota; v1 refuses a pod quota below it.
        Path app = tree.container("burstable", uid, "app");
        Files.writeString(app.resolve("cpu.cfs_quota_us"), "100000");
        NodeTargets plan = Targets.node(1, Targets.container("capped", uid,
                Map.of(Dimension.CPU, Targets.cpu(500, 0, 500))));
        PlanEnforcer agent = agent(new AgentMetrics());

        WorkloadReport r = agent.enforce(plan).workloads().get(0);

        assertThat(tree.read("cpu", "burstable", uid, "cpu.cfs_quota_us")).isEqualTo("50000");
        assertThat(tree.read("cpu", "burstable", uid, "cpu.cfs_period_us")).isEqualTo("100000");
        assertThat(Files.readString(app.resolve("cpu.cfs_quota_us")).trim()).isEqualTo("50000");
        assertThat(r.enforcement().get(0).enforced()).isTrue();
        assertThat(r.enforcement().get(0).reason()).isEqualTo("Clamped");
        assertThat(r.enforcement().get(0).message()).contains("app/").contains("lowered to 50000");

        // Other work on this cpu would hold the process below the cap by itself; weigh the test
        // subtree above it for these few seconds so that the cap is what binds.
        String shares = tree.topShares("8192");
        Process p = tree.busy("burstable", uid, "app");
        try {
            Thread.sleep(WARM_UP.toMillis());
            agent.enforce(plan);
            long t0 = System.nanoTime();
            long u0 = tree.cpuNanos("burstable", uid);
            Thread.sleep(WINDOW.toMillis());
            long u1 = tree.cpuNanos("burstable", uid);
            long t1 = System.nanoTime();
            WorkloadReport after = agent.enforce(plan).workloads().get(0);
            double percent = 100.0 * (u1 - u0) / (t1 - t0);
            System.out.printf("capped at 500m: measured %.2f%% of a cpu; agent: usage %dm, throttled periods %d,"
                            + " demand %dm%n", percent, after.usage().cpuMillicores(),
                    after.usage().cpuThrottledPeriods(), after.demand().cpuMillicores());
            assertThat(percent).isLessThanOrEqualTo(52.0).isGreaterThan(40.0);
            assertThat(after.usage().cpuThrottledPeriods()).isPositive();
            // Throttled half the time: the demand estimate sees past the cap.
            assertThat(after.demand().cpuMillicores()).isGreaterThan(after.usage().cpuMillicores() + 200);
        } finally {
            tree.stop(p);
            tree.topShares(shares);
        }
    }

    @Test
    void aMemoryCapStopsTheProcessThatPassesItAndSparesItsSibling() throws Exception {
        String python = python();
        assumeTrue(python != null, "python3 is not installed: no process to allocate memory with");
        String hog = tree.pod("burstable");
        String calm = tree.pod("burstable");
        NodeTargets plan = Targets.node(1,
                Targets.container("hog", hog, Map.of(Dimension.MEMORY,
                        Targets.target(64 * MI, 0, 64 * MI, 640))),
                Targets.container("calm", calm, Map.of(Dimension.MEMORY,
                        Targets.target(256 * MI, 128 * MI, 256 * MI, 2560))));
        PlanEnforcer agent = agent(new AgentMetrics());

        NodeReport report = agent.enforce(plan);

        assertThat(tree.read("memory", "burstable", hog, "memory.limit_in_bytes")).isEqualTo(Long.toString(64 * MI));
        assertThat(tree.read("memory", "burstable", calm, "memory.limit_in_bytes")).isEqualTo(Long.toString(256 * MI));
        assertThat(tree.read("memory", "burstable", calm, "memory.soft_limit_in_bytes"))
                .isEqualTo(Long.toString(128 * MI));
        DimensionReport calmMemory = report.workloads().get(1).enforcement().get(0);
        assertThat(calmMemory.enforced()).isFalse();
        assertThat(calmMemory.reason()).isEqualTo("ProtectionUnavailable");
        assertThat(report.workloads().get(0).enforcement().get(0).reason()).isEqualTo("Applied");

        Path script = Files.createTempFile("respool-alloc", ".py");
        Files.writeString(script, """
                import sys, time
                target, step = int(sys.argv[1]) << 20, 8 << 20
                held = []
                while sum(len(b) for b in held) < target:
                    b = bytearray(step)
                    for i in range(0, step, 4096):
                        b[i] = 1
                    held.append(b)
                print("holding", sum(len(b) for b in held) >> 20, "MiB", flush=True)
                time.sleep(60)
                """);
        List<Process> started = new ArrayList<>();
        try {
            Process sibling = tree.start("burstable", calm, null, List.of("sh", "-c",
                    "read go; exec " + python + " " + script + " 32"));
            started.add(sibling);
            awaitOutput(sibling, "holding");
            long siblingBefore = Long.parseLong(tree.read("memory", "burstable", calm, "memory.usage_in_bytes"));

            Process greedy = tree.start("burstable", hog, null, List.of("sh", "-c",
                    "read go; exec " + python + " " + script + " 512"));
            started.add(greedy);
            boolean ended = greedy.waitFor(30, TimeUnit.SECONDS);

            long siblingAfter = Long.parseLong(tree.read("memory", "burstable", calm, "memory.usage_in_bytes"));
            String oom = tree.read("memory", "burstable", hog, "memory.oom_control");
            System.out.printf("memory: greedy exit %s, hog failcnt %s, oom_control [%s]; sibling %d MiB before,"
                            + " %d MiB after, alive %s%n", ended ? greedy.exitValue() : "(running)",
                    tree.read("memory", "burstable", hog, "memory.failcnt"), oom.replace('\n', ' '),
                    siblingBefore >> 20, siblingAfter >> 20, sibling.isAlive());
            assertThat(ended).as("the process past its 64 MiB cap is stopped").isTrue();
            assertThat(greedy.exitValue()).isNotZero();
            assertThat(oom).contains("oom_kill 1");
            assertThat(sibling.isAlive()).isTrue();
            assertThat(tree.read("memory", "burstable", calm, "memory.failcnt")).isEqualTo("0");
            assertThat((double) siblingAfter).isCloseTo(siblingBefore, within(siblingBefore * 0.05));
        } finally {
            for (Process p : started) {
                tree.stop(p);
            }
            Files.deleteIfExists(script);
        }
    }

    @Test
    void aReservationHoldsAgainstAnUnreservedBusyNeighbour() throws Exception {
        // The engine turns a 750m reservation beside an unreserved sibling into node targets 750m / 250m.
        Plan plan = oneCpuNode(List.of(container("reserved", 750, 0), container("greedy", 0, 1)));
        Map<String, String> uids = Map.of("reserved", tree.pod("burstable"), "greedy", tree.pod("burstable"));
        NodeTargets targets = Targets.fromEngine(plan, "node-1", uids);
        assertThat(targets.workloads()).extracting(w -> w.targets().get(Dimension.CPU).weight())
                .containsExactly(750L, 250L);
        PlanEnforcer agent = agent(new AgentMetrics());
        agent.enforce(targets);
        assertThat(tree.read("cpu", "burstable", uids.get("reserved"), "cpu.shares")).isEqualTo("768");
        assertThat(tree.read("cpu", "burstable", uids.get("greedy"), "cpu.shares")).isEqualTo("256");

        List<Process> busy = new ArrayList<>();
        try {
            busy.add(tree.busy("burstable", uids.get("reserved"), null));
            busy.add(tree.busy("burstable", uids.get("greedy"), null));
            Map<String, Double> split = measureSplit(uids, agent, targets);
            System.out.printf("reservation 750m vs unreserved busy neighbour: reserved %.2f%%, neighbour %.2f%%%n",
                    split.get("reserved"), split.get("greedy"));
            assertThat(split.get("reserved")).isGreaterThanOrEqualTo(75.0 - 2.0);
        } finally {
            for (Process p : busy) {
                tree.stop(p);
            }
        }
    }

    @Test
    void aReservationHoldsAgainstABestEffortNeighbourOfMinimalWeight() throws Exception {
        Plan plan = oneCpuNode(List.of(container("reserved", 250, 0)));
        String reserved = tree.pod("burstable");
        String bestEffort = tree.pod("besteffort");
        // What the kubelet gives BestEffort pods and their QoS cgroup: the minimum, 2 shares.
        tree.write("cpu", "besteffort", bestEffort, "cpu.shares", "2");
        Files.writeString(tree.dir("cpu", "besteffort", bestEffort).getParent().resolve("cpu.shares"), "2");
        NodeTargets targets = Targets.fromEngine(plan, "node-1", Map.of("reserved", reserved));
        agent(new AgentMetrics()).enforce(targets);

        List<Process> busy = new ArrayList<>();
        try {
            busy.add(tree.busy("burstable", reserved, null));
            busy.add(tree.busy("besteffort", bestEffort, null));
            Thread.sleep(WARM_UP.toMillis());
            long r0 = tree.cpuNanos("burstable", reserved);
            long b0 = tree.cpuNanos("besteffort", bestEffort);
            Thread.sleep(WINDOW.toMillis());
            long r = tree.cpuNanos("burstable", reserved) - r0;
            long b = tree.cpuNanos("besteffort", bestEffort) - b0;
            double share = 100.0 * r / (r + b);
            System.out.printf("reservation 250m vs BestEffort busy neighbour: reserved %.2f%%, neighbour %.2f%%%n",
                    share, 100 - share);
            assertThat(share).isGreaterThanOrEqualTo(25.0 - 2.0);
        } finally {
            for (Process p : busy) {
                tree.stop(p);
            }
        }
    }

    @Test
    void aValueChangedBehindTheAgentsBackIsRestoredWithinTheDriftPeriod() throws Exception {
        String uid = tree.pod("burstable");
        NodeTargets plan = Targets.node(1, Targets.container("steady", uid,
                Map.of(Dimension.CPU, Targets.cpu(250, 0, Quantities.UNLIMITED))));
        AgentMetrics metrics = new AgentMetrics();
        PlanEnforcer agent = new PlanEnforcer(config(Duration.ofMillis(200)), metrics, Clock.systemUTC());
        try (ApplyLoop loop = new ApplyLoop(agent, plan, Duration.ofMillis(200), r -> { }, metrics)) {
            loop.start();
            awaitShares(uid, "256", Duration.ofSeconds(2));

            tree.write("cpu", "burstable", uid, "cpu.shares", "1024");
            long changed = System.nanoTime();
            awaitShares(uid, "256", Duration.ofSeconds(2));
            long restoredMs = (System.nanoTime() - changed) / 1_000_000;
            System.out.printf("drift: cpu.shares set to 1024 by hand, restored to 256 after %d ms (period 200 ms)%n",
                    restoredMs);
            assertThat(restoredMs).isLessThanOrEqualTo(2000);
            long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (metrics.driftCorrections() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(metrics.driftCorrections()).isEqualTo(1);
        }
    }

    private static void awaitShares(String uid, String value, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!tree.read("cpu", "burstable", uid, "cpu.shares").equals(value) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(tree.read("cpu", "burstable", uid, "cpu.shares")).isEqualTo(value);
    }

    private static void awaitOutput(Process p, String text) throws IOException {
        var reader = p.inputReader();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.contains(text)) {
                return;
            }
        }
        throw new IOException("process ended before printing \"" + text + "\"");
    }

    /** The real python3 binary (not a version manager's shim script), or null. */
    private static String python() {
        if (!KernelV1Tree.onPath("python3")) {
            return null;
        }
        try {
            Process p = new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)").start();
            String exe = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 && !exe.isEmpty() ? exe : null;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }
}
