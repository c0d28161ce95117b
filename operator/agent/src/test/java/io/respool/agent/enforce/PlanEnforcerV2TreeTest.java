package io.respool.agent.enforce;

import static io.respool.agent.Targets.container;
import static io.respool.agent.Targets.node;
import static io.respool.agent.Targets.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.respool.agent.AgentConfig;
import io.respool.agent.FakeCgroupTree;
import io.respool.agent.NodeTargets;
import io.respool.agent.cgroup.CgroupDriver;
import io.respool.agent.cgroup.CgroupVersion;
import io.respool.agent.http.AgentMetrics;
import io.respool.agent.kube.PlanAdapter;
import io.respool.agent.report.DimensionReport;
import io.respool.agent.report.NodeReport;
import io.respool.agent.report.WorkloadReport;
import io.respool.api.NodeResourcePlan;
import io.respool.api.NodeResourcePlanSpec;
import io.respool.api.NodeTarget;
import io.respool.api.PlannedWorkload;
import io.respool.engine.Dimension;
import io.respool.engine.Quantities;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact files and values the agent writes on a cgroup v2 node with the systemd driver, on a
 * directory tree laid out as the kubelet lays it out, including ancestors' memory.min.
 */
class PlanEnforcerV2TreeTest {

    static final String A = "0a1b2c3d-0000-4000-8000-00000000000a";
    static final String B = "0a1b2c3d-0000-4000-8000-00000000000b";
    static final String G = "0a1b2c3d-0000-4000-8000-00000000000c";
    static final String FOREIGN = "0a1b2c3d-0000-4000-8000-00000000000f";
    static final String KUBEPODS = "kubepods.slice";
    static final String BURSTABLE = KUBEPODS + "/kubepods-burstable.slice";
    static final long MI = 1 << 20;
    static final long GI = 1 << 30;

    @TempDir
    Path tmp;
    FakeCgroupTree tree;
    AgentMetrics metrics;
    PlanEnforcer enforcer;

    static String pod(String uid) {
        return BURSTABLE + "/kubepods-burstable-pod" + uid.replace('-', '_') + ".slice";
    }

    static String guaranteed(String uid) {
        return KUBEPODS + "/kubepods-pod" + uid.replace('-', '_') + ".slice";
    }

    @BeforeEach
    void layOut() {
        tree = FakeCgroupTree.v2(tmp.resolve("cgroup"));
        tree.v2Parent(KUBEPODS).v2Parent(BURSTABLE).v2Parent(KUBEPODS + "/kubepods-besteffort.slice");
        tree.cgroup(pod(A), FakeCgroupTree.V2_POD_FILES).cgroup(pod(B), FakeCgroupTree.V2_POD_FILES)
                .cgroup(guaranteed(G), FakeCgroupTree.V2_POD_FILES)
                .cgroup(pod(FOREIGN), FakeCgroupTree.V2_POD_FILES);
        // A pod respool does not manage, protected by the kubelet's MemoryQoS: 64 MiB.
        tree.file(pod(FOREIGN), "memory.min", Long.toString(64 * MI));
        // The kubelet's container cgroup inside pod A.
        tree.cgroup(pod(A) + "/cri-containerd-abc.scope", FakeCgroupTree.V2_POD_FILES);
        Path sysBlock = FakeCgroupTree.sysBlock(tmp.resolve("sys"), "vda", "253:0", "none [mq-deadline] kyber bfq");
        AgentConfig config = AgentConfig.defaults("node-1").withCgroupRoot(tree.root())
                .withBlockDevices(sysBlock, List.of());
        metrics = new AgentMetrics();
        enforcer = new PlanEnforcer(config, metrics, Clock.systemUTC());
    }

    NodeTargets classicPlan() {
        return node(1,
                container("a", A, Map.of(
                        Dimension.CPU, target(250, 0, 500, 1000),
                        Dimension.MEMORY, target(512 * MI, 256 * MI, GI, 10240))),
                container("b", B, Map.of(
                        Dimension.CPU, target(250, 0, Quantities.UNLIMITED, 1000),
                        Dimension.MEMORY, target(GI, 128 * MI, Quantities.UNLIMITED, 10240),
                        Dimension.DISK_IOPS, target(500, 0, 2000, 2000),
                        Dimension.NETWORK_EGRESS, target(100_000_000, 0, 100_000_000, 1000))),
                container("g", G, Map.of(
                        Dimension.CPU, target(500, 500, 1000, 2000),
                        Dimension.MEMORY, target(GI, GI, GI, 10240))));
    }

    @Test
    void writesTheRenderedValuesIntoEachPodCgroup() {
        NodeReport report = enforcer.enforce(classicPlan());

        assertThat(report.version()).isEqualTo(CgroupVersion.V2);
        assertThat(report.driver()).isEqualTo(CgroupDriver.SYSTEMD);
        // 250m → 256 shares → weight 256·100/1024 = 25; 500m → 512 → 50 (proportional, 1 CPU = 100).
        assertThat(tree.read(pod(A) + "/cpu.weight")).isEqualTo("25");
        assertThat(tree.read(pod(A) + "/cpu.max")).isEqualTo("50000 100000");
        assertThat(tree.read(pod(A) + "/memory.min")).isEqualTo(Long.toString(256 * MI));
        assertThat(tree.read(pod(A) + "/memory.high")).isEqualTo(Long.toString(GI - GI / 16));
        assertThat(tree.read(pod(A) + "/memory.max")).isEqualTo(Long.toString(GI));
        assertThat(tree.read(pod(B) + "/cpu.weight")).isEqualTo("25");
        assertThat(tree.read(pod(B) + "/cpu.max")).isEqualTo("max 100000");
        assertThat(tree.read(pod(B) + "/memory.max")).isEqualTo("max");
        assertThat(tree.read(pod(B) + "/io.weight")).isEqualTo("default 200");
        assertThat(tree.read(pod(B) + "/io.max")).isEqualTo("253:0 rbps=max wbps=max riops=2000 wiops=2000");
        assertThat(tree.read(guaranteed(G) + "/cpu.weight")).isEqualTo("50");
        assertThat(tree.read(guaranteed(G) + "/cpu.max")).isEqualTo("100000 100000");
        assertThat(tree.read(guaranteed(G) + "/memory.min")).isEqualTo(Long.toString(GI));
        // The container cgroup inside the pod is the kubelet's: untouched.
        assertThat(tree.read(pod(A) + "/cri-containerd-abc.scope/cpu.weight")).isEqualTo("100");
        // The foreign pod is not in the plan: untouched.
        assertThat(tree.read(pod(FOREIGN) + "/cpu.weight")).isEqualTo("100");

        WorkloadReport a = report.workloads().get(0);
        assertThat(a.found()).isTrue();
        assertThat(a.cgroupPath()).isEqualTo(pod(A));
        assertThat(a.applied()).containsEntry("cpu.weight", "25").containsEntry("cpu.max", "50000 100000")
                .containsEntry("memory.min", Long.toString(256 * MI));
    }

    @Test
    void ancestorsMemoryMinCoverTheSumOfTheirChildren() {
        enforcer.enforce(classicPlan());

        // burstable = a 256 Mi + b 128 Mi + the foreign pod's 64 Mi (the kubelet's, counted as is).
        assertThat(tree.read(BURSTABLE + "/memory.min")).isEqualTo(Long.toString(448 * MI));
        // kubepods = burstable 448 Mi + guaranteed g 1 Gi + besteffort 0.
        assertThat(tree.read(KUBEPODS + "/memory.min")).isEqualTo(Long.toString(448 * MI + GI));

        // A reservation that shrinks shrinks the ancestors too: they track the sum exactly.
        NodeTargets smaller = node(2,
                container("a", A, Map.of(Dimension.MEMORY, target(512 * MI, 64 * MI, GI, 10240))));
        enforcer.enforce(smaller);
        // b and g left the plan: their memory.min went back to what the agent found (0).
        assertThat(tree.read(pod(B) + "/memory.min")).isEqualTo("0");
        assertThat(tree.read(BURSTABLE + "/memory.min")).isEqualTo(Long.toString(128 * MI));
        assertThat(tree.read(KUBEPODS + "/memory.min")).isEqualTo(Long.toString(128 * MI));
    }

    @Test
    void reportsPerDimensionWhatIsEnforcedAndWhy() {
        NodeReport report = enforcer.enforce(classicPlan());
        WorkloadReport b = report.workloads().get(1);

        assertThat(b.enforcement()).extracting(DimensionReport::dimension, DimensionReport::enforced,
                        DimensionReport::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Dimension.CPU, true, "Applied"),
                        org.assertj.core.groups.Tuple.tuple(Dimension.MEMORY, true, "Applied"),
                        org.assertj.core.groups.Tuple.tuple(Dimension.DISK_IOPS, false, "WeightNotHonoured"),
                        org.assertj.core.groups.Tuple.tuple(Dimension.NETWORK_EGRESS, false, "NotImplemented"));
        assertThat(b.enforcement().get(2).message()).contains("vda (scheduler mq-deadline)").contains("bfq")
                .contains("io.max) is enforced");
        assertThat(report.fullyEnforced()).isFalse();
        assertThat(report.workloads().get(0).fullyEnforced()).isTrue();
    }

    @Test
    void secondPassWritesNothingAndRestoresDrift() {
        enforcer.enforce(classicPlan());
        long writes = metrics.writes();
        assertThat(writes).isGreaterThan(0);

        enforcer.enforce(classicPlan());
        assertThat(metrics.writes()).isEqualTo(writes);
        assertThat(metrics.driftCorrections()).isZero();

        tree.file(pod(A), "cpu.weight", "100");
        tree.file(KUBEPODS, "memory.min", "0");
        enforcer.enforce(classicPlan());
        assertThat(tree.read(pod(A) + "/cpu.weight")).isEqualTo("25");
        assertThat(tree.read(KUBEPODS + "/memory.min")).isEqualTo(Long.toString(448 * MI + GI));
        assertThat(metrics.driftCorrections()).isEqualTo(2);
        assertThat(metrics.writes()).isEqualTo(writes + 2);
    }

    @Test
    void unknownPodsAndBadUidsAreReportedNotWritten() {
        NodeReport report = enforcer.enforce(node(1,
                container("elsewhere", "99999999-0000-4000-8000-000000000000",
                        Map.of(Dimension.CPU, target(250, 0, 500, 1000))),
                container("sneaky", "../../../etc", Map.of(Dimension.CPU, target(250, 0, 500, 1000))),
                container("pending", null, Map.of(Dimension.CPU, target(250, 0, 500, 1000)))));

        assertThat(report.workloads()).extracting(WorkloadReport::found).containsOnly(false);
        assertThat(report.workloads()).extracting(w -> w.enforcement().get(0).reason())
                .containsExactly("CgroupNotFound", "InvalidPodUID", "PodUnknown");
        assertThat(report.workloads().get(0).enforcement().get(0).message())
                .contains("99999999-0000-4000-8000-000000000000").contains("not on this node");
        assertThat(metrics.writes()).isZero();
    }

    @Test
    void anUnwritableFileIsReportedAndTheRestStillApplied() throws Exception {
        Path memoryMax = tree.root().resolve(pod(A)).resolve("memory.max");
        Files.delete(memoryMax);
        // /proc/version is a regular file the kernel refuses writes to, even for root.
        Files.createSymbolicLink(memoryMax, Path.of("/proc/version"));

        WorkloadReport a = enforcer.enforce(classicPlan()).workloads().get(0);

        DimensionReport memory = a.enforcement().get(1);
        assertThat(memory.enforced()).isFalse();
        assertThat(memory.reason()).isEqualTo("WriteFailed");
        assertThat(memory.message()).contains("memory.max").contains(Long.toString(GI));
        assertThat(a.enforcement().get(0).enforced()).isTrue();
        assertThat(tree.read(pod(A) + "/cpu.weight")).isEqualTo("25");
        assertThat(metrics.errors(AgentMetrics.ErrorKind.WRITE)).isEqualTo(1);
    }

    @Test
    void aMissingControllerIsReportedAsUnavailable() throws Exception {
        Files.delete(tree.root().resolve(pod(A)).resolve("cpu.max"));

        WorkloadReport a = enforcer.enforce(classicPlan()).workloads().get(0);

        assertThat(a.enforcement().get(0).reason()).isEqualTo("ControllerUnavailable");
        assertThat(a.enforcement().get(0).message()).contains("cpu.max");
    }

    @Test
    void valuesOutsideTheKernelsRangeAreClampedAndSaid() {
        WorkloadReport a = enforcer.enforce(node(1, container("a", A, Map.of(
                Dimension.MEMORY, target(MI, 0, MI, 10240))))).workloads().get(0);

        // A 1 MiB cap would kill the pod at once: clamped up to 6 MiB.
        assertThat(tree.read(pod(A) + "/memory.max")).isEqualTo(Long.toString(6 * MI));
        assertThat(a.enforcement().get(0).enforced()).isTrue();
        assertThat(a.enforcement().get(0).reason()).isEqualTo("Clamped");
        assertThat(a.enforcement().get(0).message()).contains("below the smallest memory cap");
    }

    @Test
    void aDroppedDimensionGetsTheKubeletsValuesBack() {
        enforcer.enforce(classicPlan());
        assertThat(tree.read(pod(B) + "/io.max")).isEqualTo("253:0 rbps=max wbps=max riops=2000 wiops=2000");

        enforcer.enforce(node(2, container("b", B, Map.of(Dimension.CPU, target(250, 0, 500, 1000)))));

        assertThat(tree.read(pod(B) + "/io.weight")).isEqualTo("default 100");
        assertThat(tree.read(pod(B) + "/io.max")).isEqualTo("253:0 rbps=max wbps=max riops=max wiops=max");
        assertThat(tree.read(pod(B) + "/memory.min")).isEqualTo("0");
        assertThat(tree.read(pod(B) + "/cpu.max")).isEqualTo("50000 100000");
    }

    @Test
    void theApplyLoopRestoresDriftWithinThePeriod() throws Exception {
        AgentConfig config = AgentConfig.defaults("node-1").withCgroupRoot(tree.root())
                .withBlockDevices(tmp.resolve("none"), List.of());
        PlanEnforcer e = new PlanEnforcer(config, metrics, Clock.systemUTC());
        try (ApplyLoop loop = new ApplyLoop(e, classicPlan(), Duration.ofMillis(100), r -> { }, metrics)) {
            loop.start();
            awaitValue(pod(A) + "/cpu.weight", "25");
            tree.file(pod(A), "cpu.weight", "555");
            awaitValue(pod(A) + "/cpu.weight", "25");
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (metrics.driftCorrections() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(metrics.driftCorrections()).isEqualTo(1);
        }
    }

    @Test
    void aVmsMemoryCapOnItsLauncherPodHoldsTheOverheadFromThePlan() {
        long overhead = 281_018_369L; // KubeVirt's estimate for 2 vCPUs and 4Gi
        PlannedWorkload vm = new PlannedWorkload(PlannedWorkload.VIRTUAL_MACHINE, "vms", "db", null, A);
        vm.setMemory(new NodeTarget(4 * GI, GI, 4 * GI, 40960));
        vm.setMemoryOverhead(overhead);
        PlannedWorkload container = new PlannedWorkload(PlannedWorkload.CONTAINER, "web", "web", null, B);
        container.setMemory(new NodeTarget(4 * GI, GI, 4 * GI, 40960));
        container.setMemoryOverhead(overhead); // only a VM's pod holds more than the workload: ignored
        PlannedWorkload open = new PlannedWorkload(PlannedWorkload.VIRTUAL_MACHINE, "vms", "open", null, G);
        open.setMemory(new NodeTarget(GI, GI / 2, null, 10240));
        open.setMemoryOverhead(overhead);
        NodeResourcePlan plan = new NodeResourcePlan();
        plan.getMetadata().setName("node-1");
        plan.getMetadata().setGeneration(1L);
        plan.setSpec(new NodeResourcePlanSpec("node-1", List.of(vm, container, open)));

        NodeReport report = enforcer.enforce(PlanAdapter.toTargets(plan));

        // 4Gi + 281018369 = 4575985665, page-aligned; memory.high 15/16 of that, page-aligned.
        assertThat(tree.read(pod(A) + "/memory.max")).isEqualTo("4575985664");
        assertThat(tree.read(pod(A) + "/memory.high")).isEqualTo("4289986560");
        assertThat(tree.read(pod(A) + "/memory.min")).isEqualTo(Long.toString(GI));
        assertThat(tree.read(pod(B) + "/memory.max")).isEqualTo(Long.toString(4 * GI));
        assertThat(tree.read(pod(B) + "/memory.high")).isEqualTo(Long.toString(4 * GI - 4 * GI / 16));
        assertThat(tree.read(pod(B) + "/memory.min")).isEqualTo(Long.toString(GI));
        assertThat(tree.read(guaranteed(G) + "/memory.max")).isEqualTo("max");
        assertThat(tree.read(guaranteed(G) + "/memory.high")).isEqualTo("max");
        assertThat(report.workloads().get(0).applied()).containsEntry("memory.max", "4575985664");
        // The ancestors' memory.min sums the reservations only: 1Gi + 1Gi in the burstable slice.
        assertThat(tree.read(BURSTABLE + "/memory.min")).isEqualTo(Long.toString(2 * GI + 64 * MI));
    }

    private void awaitValue(String file, String value) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (!tree.read(file).equals(value) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(tree.read(file)).isEqualTo(value);
    }
}
