package io.respool.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.respool.engine.CgroupRenderer;
import io.respool.engine.CgroupRenderer.Target;
import io.respool.engine.CgroupValues;
import io.respool.engine.Dimension;
import io.respool.engine.Quantities;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the agent renders for a pod cgroup: a VM's memory cap raised by its launcher overhead. */
class WorkloadTargetsTest {

    private static final long GI = 1L << 30;
    /** KubeVirt's overhead estimate for 2 vCPUs and 4Gi (see KubeVirtVirtualMachine). */
    private static final long OVERHEAD = 281_018_369L;
    private static final String UID = "0a1b2c3d-0000-4000-8000-00000000000a";

    @Test
    void aVmsMemoryCapIsRaisedByItsOverheadAndNothingElse() {
        Target cpu = new Target(1000, 500, 2000, 2000);
        Target memory = new Target(4 * GI, GI, 4 * GI, 40960);
        WorkloadTargets vm = new WorkloadTargets("VirtualMachine", "vms", "db", null, UID,
                Map.of(Dimension.CPU, cpu, Dimension.MEMORY, memory), OVERHEAD);

        assertThat(vm.podCgroupTargets()).containsOnlyKeys(Dimension.CPU, Dimension.MEMORY)
                .containsEntry(Dimension.CPU, cpu)
                .containsEntry(Dimension.MEMORY, new Target(4 * GI, GI, 4 * GI + OVERHEAD, 40960));
        assertThat(vm.targets()).containsEntry(Dimension.MEMORY, memory);

        // 4Gi + 281018369 = 4575985665 → page-aligned 4575985664; high: 4575985665 − 4575985665/16,
        // page-aligned 4289986560. The reservation stays the reservation.
        CgroupValues values = CgroupRenderer.render(vm.podCgroupTargets());
        assertThat(values.v2()).containsEntry("memory.max", "4575985664").containsEntry("memory.high", "4289986560")
                .containsEntry("memory.min", Long.toString(GI)).containsEntry("cpu.max", "200000 100000");
        assertThat(values.v1()).containsEntry("memory.limit_in_bytes", "4575985664")
                .containsEntry("memory.soft_limit_in_bytes", Long.toString(GI));
    }

    @Test
    void anUnlimitedCapStaysUnlimitedAndAContainerIsUnchanged() {
        WorkloadTargets open = new WorkloadTargets("VirtualMachine", "vms", "open", null, UID,
                Map.of(Dimension.MEMORY, new Target(GI, 0, Quantities.UNLIMITED, 10240)), OVERHEAD);
        CgroupValues values = CgroupRenderer.render(open.podCgroupTargets());
        assertThat(values.v2()).containsEntry("memory.max", "max").containsEntry("memory.high", "max");
        assertThat(values.v1()).containsEntry("memory.limit_in_bytes", "-1");

        WorkloadTargets container = new WorkloadTargets("Container", "web", "web", null, UID,
                Map.of(Dimension.MEMORY, new Target(4 * GI, GI, 4 * GI, 40960)));
        assertThat(container.memoryOverhead()).isZero();
        assertThat(container.podCgroupTargets()).isEqualTo(container.targets());
        assertThat(CgroupRenderer.render(container.podCgroupTargets()).v2())
                .containsEntry("memory.max", Long.toString(4 * GI));

        assertThatThrownBy(() -> new WorkloadTargets("VirtualMachine", "vms", "db", null, UID, Map.of(), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
