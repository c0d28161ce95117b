package io.respool.engine;

import static io.respool.engine.Dimension.CPU;
import static io.respool.engine.Dimension.MEMORY;
import static io.respool.engine.Fixtures.alloc;
import static io.respool.engine.Fixtures.cpu;
import static io.respool.engine.Fixtures.mem;
import static io.respool.engine.Fixtures.pool;
import static io.respool.engine.Fixtures.workload;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineTest {

    @Test
    void classicShareExampleSplitsOneCpuQuarterQuarterHalf() {
        // semantics.md section 6: three busy 1-vCPU VMs, shares normal, normal, high, on a 1-CPU host.
        Plan plan = new Fixtures()
                .kubevirtNode("host", "1", "8Gi")
                .vm("lab", "a", null, 1, "1Gi", Map.of(CPU, alloc(CPU, null, null, "normal")))
                .vm("lab", "b", null, 1, "1Gi", Map.of(CPU, alloc(CPU, null, null, "normal")))
                .vm("lab", "c", null, 1, "1Gi", Map.of(CPU, alloc(CPU, null, null, "high")))
                .plan();

        assertThat(workload(plan, "a").dimension(CPU).entitlement()).isEqualTo(250);
        assertThat(workload(plan, "b").dimension(CPU).entitlement()).isEqualTo(250);
        assertThat(workload(plan, "c").dimension(CPU).entitlement()).isEqualTo(500);
        assertThat(workload(plan, "a").dimension(CPU).shares()).isEqualTo(1000);
        assertThat(workload(plan, "c").dimension(CPU).shares()).isEqualTo(2000);
        // cpu.shares on the kubelet scale: 250m → 256, 500m → 512; VM cap = 1 vCPU.
        assertThat(workload(plan, "a").cgroup().v1()).containsEntry("cpu.shares", "256")
                .containsEntry("cpu.cfs_quota_us", "100000");
        assertThat(workload(plan, "c").cgroup().v1()).containsEntry("cpu.shares", "512");
        assertThat(workload(plan, "c").cgroup().v2()).containsEntry("cpu.max", "100000 100000");
        assertThat(plan.workloads()).allSatisfy(w -> assertThat(w.node()).isEqualTo("host"));
    }

    @Test
    void vmReservingMoreThanItsSizeIsRefusedNamingTheField() {
        Plan plan = new Fixtures()
                .kubevirtNode("host", "8", "32Gi")
                .vm("lab", "greedy", null, 2, "4Gi", Map.of(CPU, alloc(CPU, "3", null, null),
                        MEMORY, alloc(MEMORY, "6Gi", "8Gi", null)))
                .plan();

        WorkloadStatus greedy = workload(plan, "greedy");
        assertThat(greedy.admitted()).isFalse();
        assertThat(greedy.reason()).isEqualTo("Invalid");
        assertThat(greedy.message()).isEqualTo("spec.cpu.reservation 3 exceeds the VM's 2 vCPUs: reserve at most that; "
                + "spec.memory.reservation 6Gi exceeds the VM's memory size 4Gi: reserve at most that");
    }

    @Test
    void sharePresetsScaleWithSize() {
        Plan plan = new Fixtures()
                .kubevirtNode("host", "64", "256Gi")
                .vm("lab", "big", null, 4, "8Gi", Map.of(CPU, alloc(CPU, null, null, "low"),
                        MEMORY, alloc(MEMORY, null, null, "high")))
                .container("lab", "c1", null, Map.of(CPU, alloc(CPU, "250m", "2", null)))
                .container("lab", "c2", null, Map.of())
                .pool("p", null, Map.of(CPU, alloc(CPU, null, null, "high")))
                .plan();

        assertThat(workload(plan, "big").dimension(CPU).shares()).isEqualTo(4 * 500);
        assertThat(workload(plan, "big").dimension(MEMORY).shares()).isEqualTo(8192 * 20);
        assertThat(workload(plan, "c1").dimension(CPU).shares()).isEqualTo(2000); // limit 2 CPUs
        assertThat(workload(plan, "c2").dimension(CPU).shares()).isEqualTo(1000); // default 1 CPU
        assertThat(workload(plan, "c2").dimension(MEMORY).shares()).isEqualTo(10240); // default 1 GiB
        assertThat(pool(plan, "p").dimension(CPU).shares()).isEqualTo(8000);
        assertThat(pool(plan, "p").dimension(MEMORY).shares()).isEqualTo(163840);
    }

    @Test
    void expandablePoolBorrowsFromParentUntilTheParentRunsOut() {
        // root 8 CPUs; "dept" reserves 4 (fixed); "team" reserves 1 and may borrow from "dept".
        Plan plan = new Fixtures()
                .node("n1", "8", "32Gi", Map.of())
                .pool("dept", null, Map.of(CPU, alloc(CPU, "4", null, null).withExpandable(false)))
                .pool("team", "dept", Map.of(CPU, alloc(CPU, "1", null, null)))
                .container("t", "first", "team", Map.of(CPU, alloc(CPU, "2", null, null)))
                .container("t", "second", "team", Map.of(CPU, alloc(CPU, "2", null, null)))
                .container("t", "third", "team", Map.of(CPU, alloc(CPU, "500m", null, null)))
                .plan();

        assertThat(workload(plan, "first").admitted()).isTrue();
        assertThat(workload(plan, "second").admitted()).isTrue();
        WorkloadStatus third = workload(plan, "third");
        assertThat(third.admitted()).isFalse();
        assertThat(third.reason()).isEqualTo("InsufficientReservation");
        assertThat(third.message()).isEqualTo(
                "pool \"team\" cannot reserve cpu 500m for Container \"t/third\": 0 available (expandable via \"dept\")");
        assertThat(pool(plan, "team").dimension(CPU).used()).isEqualTo(cpu("4"));
        assertThat(pool(plan, "dept").dimension(CPU).used()).isEqualTo(cpu("4"));
        assertThat(pool(plan, "dept").dimension(CPU).available()).isZero();
        assertThat(pool(plan, "dept").health()).isEqualTo(Health.VALID);
    }

    @Test
    void expandableReservationStopsAtTheParentsLimit() {
        Plan plan = new Fixtures()
                .node("n1", "16", "32Gi", Map.of())
                .pool("dept", null, Map.of(CPU, alloc(CPU, "2", "3", null)))
                .pool("team", "dept", Map.of(CPU, alloc(CPU, "1", null, null)))
                .container("t", "a", "team", Map.of(CPU, alloc(CPU, "2500m", null, null)))
                .container("t", "b", "team", Map.of(CPU, alloc(CPU, "1", null, null)))
                .plan();

        assertThat(workload(plan, "a").admitted()).isTrue();
        assertThat(workload(plan, "b").message())
                .isEqualTo("pool \"team\" cannot reserve cpu 1 for Container \"t/b\": 500m available (expandable via \"dept\", \"root\")");
        assertThat(pool(plan, "dept").dimension(CPU).available()).isEqualTo(cpu("500m"));
    }

    @Test
    void admittedWorkloadsStayAdmittedWhenAnEarlierOneArrives() {
        WorkloadSpec old = new WorkloadSpec(WorkloadKind.CONTAINER, "t", "old", null, 0, 0,
                Map.of(CPU, alloc(CPU, "3", null, null)), Map.of(), Map.of(), true, true, "n1", 10);
        WorkloadSpec newcomer = new WorkloadSpec(WorkloadKind.CONTAINER, "t", "early", null, 0, 0,
                Map.of(CPU, alloc(CPU, "3", null, null)), Map.of(), Map.of(), true, false, null, 1);
        Plan plan = new Fixtures().node("n1", "4", "8Gi", Map.of()).workload(old).workload(newcomer).plan();

        assertThat(workload(plan, "old").admitted()).isTrue();
        assertThat(workload(plan, "old").node()).isEqualTo("n1");
        assertThat(workload(plan, "early").admitted()).isFalse();
        assertThat(workload(plan, "early").message()).contains("1 available (cluster capacity)");
    }

    @Test
    void rootFiguresCountTopLevelPoolsAndRootWorkloads() {
        // Pool "a" reserves 1 and uses 1.5 (expandable); a root container reserves 500m and,
        // with no measured demand, wants its 2-cpu limit.
        Plan plan = new Fixtures()
                .node("n1", "4", "8Gi", Map.of())
                .pool("a", null, Map.of(CPU, alloc(CPU, "1", null, null)))
                .container("t", "in-a", "a", Map.of(CPU, alloc(CPU, "1500m", "1500m", null)))
                .container("t", "at-root", null, Map.of(CPU, alloc(CPU, "500m", "2", null)))
                .plan();
        PoolDimensionStatus root = plan.root().get(CPU);
        assertThat(root.reservation()).isEqualTo(cpu("4"));
        assertThat(root.limit()).isEqualTo(cpu("4"));
        assertThat(root.used()).isEqualTo(cpu("2"));
        assertThat(root.available()).isEqualTo(cpu("2"));
        assertThat(root.entitlement()).isEqualTo(cpu("3500m"));
        assertThat(root.health()).isEqualTo(Health.VALID);
        assertThat(plan.root().keySet()).isEqualTo(plan.dimensions());
    }

    @Test
    void rootIsOvercommittedWhenTheNodesHoldLessThanIsReserved() {
        // Admitted on a 4-cpu node that now declares 2: the reservation stays, the root is overcommitted.
        WorkloadSpec kept = new WorkloadSpec(WorkloadKind.CONTAINER, "t", "kept", null, 0, 0,
                Map.of(CPU, alloc(CPU, "3", null, null)), Map.of(), Map.of(), true, true, "n1", 1);
        Plan plan = new Fixtures().node("n1", "2", "8Gi", Map.of()).workload(kept).plan();
        PoolDimensionStatus root = plan.root().get(CPU);
        assertThat(root.used()).isEqualTo(cpu("3"));
        assertThat(root.available()).isZero();
        assertThat(root.health()).isEqualTo(Health.OVERCOMMITTED);
        assertThat(plan.root().get(Dimension.MEMORY).health()).isEqualTo(Health.VALID);
    }

    @Test
    void poolWhoseReservationDoesNotFitCountsAsReservingNothing() {
        Plan plan = new Fixtures()
                .node("n1", "4", "8Gi", Map.of())
                .pool("a", null, Map.of(CPU, alloc(CPU, "3", null, null)))
                .pool("b", null, Map.of(CPU, alloc(CPU, "2", null, null)))
                .plan();

        assertThat(pool(plan, "a").conditions()).anySatisfy(c -> assertThat(c.type()).isEqualTo("ReservationGranted"));
        Condition refused = pool(plan, "b").conditions().stream()
                .filter(c -> c.type().equals("ReservationGranted")).findFirst().orElseThrow();
        assertThat(refused.status()).isEqualTo("False");
        assertThat(refused.message()).isEqualTo("pool \"b\" cannot reserve cpu 2 in \"root\": 1 available, short by 1;"
                + " it counts as reserving nothing until its parent has room");
        assertThat(pool(plan, "b").dimension(CPU).used()).isZero();
    }

    @Test
    void childLimitIsNarrowedByTheParentsLimit() {
        Plan plan = new Fixtures()
                .node("n1", "16", "64Gi", Map.of())
                .pool("dept", null, Map.of(CPU, alloc(CPU, null, "4", null)))
                .pool("team", "dept", Map.of(CPU, alloc(CPU, null, "8", null)))
                .plan();

        assertThat(pool(plan, "team").dimension(CPU).limit()).isEqualTo(cpu("8"));
        assertThat(pool(plan, "team").dimension(CPU).effectiveLimit()).isEqualTo(cpu("4"));
    }

    @Test
    void poolLimitIsSharedByCapsThatFollowDemand() {
        // "team" is limited to 2 CPUs for its three 2-vCPU VMs; one is nearly idle.
        Plan plan = new Fixtures()
                .kubevirtNode("n1", "16", "64Gi")
                .pool("team", null, Map.of(CPU, alloc(CPU, null, "2", null)))
                .vm("t", "busy1", "team", 2, "2Gi", Map.of())
                .vm("t", "busy2", "team", 2, "2Gi", Map.of())
                .vm("t", "idle", "team", 2, "2Gi", Map.of(), Map.of(CPU, 100L))
                .plan();

        long c1 = workload(plan, "busy1").dimension(CPU).cap();
        long c2 = workload(plan, "busy2").dimension(CPU).cap();
        long c3 = workload(plan, "idle").dimension(CPU).cap();
        assertThat(c1 + c2 + c3).isEqualTo(cpu("2"));
        assertThat(c3).isEqualTo(100);
        assertThat(c1).isEqualTo(950);
        assertThat(c2).isEqualTo(950);
        assertThat(workload(plan, "busy1").cgroup().v1()).containsEntry("cpu.cfs_quota_us", "95000");
        assertThat(workload(plan, "busy1").dimension(CPU).entitlement()).isEqualTo(950);
    }

    @Test
    void reservationIsGuaranteedUnderContention() {
        Plan plan = new Fixtures()
                .kubevirtNode("n1", "2", "64Gi")
                .vm("t", "reserved", null, 2, "2Gi", Map.of(CPU, alloc(CPU, "1500m", null, "low")))
                .vm("t", "noisy", null, 2, "2Gi", Map.of(CPU, alloc(CPU, null, null, "high")))
                .plan();

        assertThat(workload(plan, "reserved").dimension(CPU).entitlement()).isEqualTo(cpu("1500m"));
        assertThat(workload(plan, "noisy").dimension(CPU).entitlement()).isEqualTo(cpu("500m"));
    }

    @Test
    void vmsGoOnlyToKubevirtNodesAndLowestLoadWins() {
        Plan plan = new Fixtures()
                .node("plain", "64", "256Gi", Map.of())
                .kubevirtNode("kv-a", "8", "32Gi")
                .kubevirtNode("kv-b", "8", "32Gi")
                .vm("t", "v1", null, 2, "4Gi", Map.of(CPU, alloc(CPU, "2", null, null)))
                .vm("t", "v2", null, 2, "4Gi", Map.of(CPU, alloc(CPU, "2", null, null)))
                .container("t", "c1", null, Map.of(CPU, alloc(CPU, "1", null, null)))
                .plan();

        assertThat(workload(plan, "v1").node()).isEqualTo("kv-a");
        assertThat(workload(plan, "v2").node()).isEqualTo("kv-b");
        assertThat(workload(plan, "c1").node()).isEqualTo("plain");
    }

    @Test
    void vmWithoutKubevirtNodeIsRefusedWithTheReason() {
        Plan plan = new Fixtures()
                .node("plain", "64", "256Gi", Map.of())
                .vm("t", "v1", null, 2, "4Gi", Map.of())
                .plan();

        WorkloadStatus v1 = workload(plan, "v1");
        assertThat(v1.admitted()).isFalse();
        assertThat(v1.reason()).isEqualTo("NoNodeFits");
        assertThat(v1.message()).isEqualTo("no node can hold VirtualMachine \"t/v1\": no Ready, schedulable node is a "
                + "KubeVirt node (label kubevirt.io/schedulable=true)");
    }

    @Test
    void namespaceSelectorRefusesOtherTenants() {
        Plan plan = new Fixtures()
                .node("n1", "8", "32Gi", Map.of())
                .namespace("team-a", Map.of("tenant", "a"))
                .namespace("team-b", Map.of("tenant", "b"))
                .pool("a-pool", null, Map.of(CPU, alloc(CPU, "2", null, null)), false,
                        LabelSelector.of(Map.of("tenant", "a")))
                .container("team-a", "mine", "a-pool", Map.of(CPU, alloc(CPU, "1", null, null)))
                .container("team-b", "theirs", "a-pool", Map.of(CPU, alloc(CPU, "1", null, null)))
                .plan();

        assertThat(workload(plan, "mine").admitted()).isTrue();
        WorkloadStatus theirs = workload(plan, "theirs");
        assertThat(theirs.reason()).isEqualTo("NamespaceNotAllowed");
        assertThat(theirs.message()).isEqualTo("namespace \"team-b\" may not use pool \"a-pool\": its "
                + "spec.namespaceSelector {tenant=a} does not select it; use a pool open to this namespace");
    }

    @Test
    void invalidTreesAreReportedPerObject() {
        Plan plan = new Fixtures()
                .node("n1", "8", "32Gi", Map.of())
                .pool("x", "y", Map.of())
                .pool("y", "x", Map.of())
                .pool("orphan", "nowhere", Map.of())
                .pool("below", "x", Map.of())
                .pool("bad", null, Map.of(CPU, alloc(CPU, "2", "1", null)))
                .container("t", "w", "bad", Map.of())
                .plan();

        assertThat(pool(plan, "x").health()).isEqualTo(Health.INVALID);
        assertThat(pool(plan, "x").conditions().get(0).message()).contains("closes a cycle (\"x\" → \"y\" → \"x\")");
        assertThat(pool(plan, "orphan").conditions().get(0).message())
                .contains("spec.parent \"nowhere\" names no ResourcePool");
        assertThat(pool(plan, "below").conditions().get(0).message()).contains("spec.parent \"x\" is invalid");
        assertThat(pool(plan, "bad").conditions().get(0).message())
                .isEqualTo("ResourcePool \"bad\": spec.cpu.limit 1 is below spec.cpu.reservation 2: the limit must be"
                        + " at least the reservation, or omitted");
        assertThat(workload(plan, "w").reason()).isEqualTo("PoolInvalid");
    }

    @Test
    void lostCapacityMarksPoolsOvercommittedAndKeepsAdmissions() {
        // Two workloads admitted on two nodes; one node is gone now.
        WorkloadSpec a = new WorkloadSpec(WorkloadKind.CONTAINER, "t", "a", "p", 0, 0,
                Map.of(CPU, alloc(CPU, "3", null, null)), Map.of(), Map.of(), true, true, "n1", 1);
        WorkloadSpec b = new WorkloadSpec(WorkloadKind.CONTAINER, "t", "b", "p", 0, 0,
                Map.of(CPU, alloc(CPU, "3", null, null)), Map.of(), Map.of(), true, true, "n2", 2);
        Plan plan = new Fixtures()
                .node("n1", "4", "8Gi", Map.of())
                .pool("p", null, Map.of(CPU, alloc(CPU, "6", null, null)))
                .workload(a).workload(b)
                .plan();

        assertThat(pool(plan, "p").health()).isEqualTo(Health.OVERCOMMITTED);
        assertThat(workload(plan, "b").admitted()).isTrue();
        assertThat(workload(plan, "b").node()).isNull();
        assertThat(workload(plan, "b").reason()).isEqualTo("NoNodeFits");
        // Only "a" runs, so it may use the whole remaining node (work conservation).
        assertThat(workload(plan, "a").dimension(CPU).entitlement()).isEqualTo(cpu("4"));
        assertThat(pool(plan, "p").dimension(CPU).available()).isZero();
    }

    @Test
    void fixedPoolWhoseChildrenReserveMoreIsInvalid() {
        WorkloadSpec a = new WorkloadSpec(WorkloadKind.CONTAINER, "t", "a", "p", 0, 0,
                Map.of(CPU, alloc(CPU, "3", null, null)), Map.of(), Map.of(), true, true, "n1", 1);
        Plan plan = new Fixtures()
                .node("n1", "8", "8Gi", Map.of())
                .pool("p", null, Map.of(CPU, alloc(CPU, "2", null, null).withExpandable(false)))
                .workload(a)
                .plan();

        assertThat(pool(plan, "p").dimension(CPU).health()).isEqualTo(Health.INVALID);
        assertThat(pool(plan, "p").conditions().get(0).message())
                .isEqualTo("pool \"p\" is Invalid: cpu: reserved below it 3 exceeds its fixed reservation 2");
    }

    @Test
    void scalableSharesWeighPoolsByTheirWorkloads() {
        // Two child pools, both normal: one with 3 busy 1-vCPU VMs, the other with 1, on 4 CPUs of which
        // the parent may use 2. Fixed shares would split 1 : 1; scalable shares split 3 : 1.
        Fixtures f = new Fixtures().kubevirtNode("n1", "8", "64Gi")
                .pool("parent", null, Map.of(CPU, alloc(CPU, null, "2", null)), true, null)
                .pool("many", "parent", Map.of())
                .pool("few", "parent", Map.of());
        for (int i = 0; i < 3; i++) {
            f.vm("t", "m" + i, "many", 1, "1Gi", Map.of());
        }
        f.vm("t", "f0", "few", 1, "1Gi", Map.of());
        Plan plan = f.plan();

        assertThat(pool(plan, "many").dimension(CPU).effectiveShares()).isEqualTo(3000);
        assertThat(pool(plan, "few").dimension(CPU).effectiveShares()).isEqualTo(1000);
        assertThat(pool(plan, "many").dimension(CPU).entitlement()).isEqualTo(1500);
        assertThat(pool(plan, "few").dimension(CPU).entitlement()).isEqualTo(500);
    }

    @Test
    void nodeTargetsFitTheNodeWhenEntitlementsExceedIt() {
        // Pool-wide entitlement can exceed one node: the node's capacity is water-filled by entitlement.
        Plan plan = new Fixtures()
                .node("n1", "1", "8Gi", Map.of())
                .node("n2", "3", "8Gi", Map.of())
                .container("t", "a", null, Map.of(CPU, alloc(CPU, "1", "2", null)), Map.of(CPU, 2000L))
                .container("t", "b", null, Map.of(CPU, alloc(CPU, null, "2", null)), Map.of(CPU, 2000L))
                .plan();

        WorkloadStatus a = workload(plan, "a");
        WorkloadStatus b = workload(plan, "b");
        assertThat(a.dimension(CPU).entitlement() + b.dimension(CPU).entitlement()).isEqualTo(cpu("4"));
        assertThat(a.node()).isNotEqualTo(b.node());
        for (WorkloadStatus w : plan.workloads()) {
            long nodeCpu = w.node().equals("n1") ? 1000 : 3000;
            assertThat(w.dimension(CPU).nodeTarget()).isLessThanOrEqualTo(nodeCpu);
        }
    }

    @Test
    void memoryCgroupValues() {
        Plan plan = new Fixtures()
                .kubevirtNode("n1", "8", "64Gi")
                .vm("t", "db", null, 4, "8Gi", Map.of(MEMORY, alloc(MEMORY, "8Gi", null, null)))
                .plan();

        WorkloadStatus db = workload(plan, "db");
        assertThat(db.dimension(MEMORY).cap()).isEqualTo(mem("8Gi"));
        assertThat(db.cgroup().v2()).containsEntry("memory.min", Long.toString(mem("8Gi")))
                .containsEntry("memory.max", Long.toString(mem("8Gi")))
                .containsEntry("memory.high", Long.toString(mem("7680Mi")));
        assertThat(db.cgroup().v1()).containsEntry("memory.limit_in_bytes", Long.toString(mem("8Gi")))
                .containsEntry("memory.soft_limit_in_bytes", Long.toString(mem("8Gi")));
    }
}
