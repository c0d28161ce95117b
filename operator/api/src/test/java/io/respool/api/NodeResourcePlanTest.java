package io.respool.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.respool.engine.CgroupRenderer;
import io.respool.engine.Dimension;
import io.respool.engine.Quantities;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator-agent contract: identity, JSON names, and the mapping onto the engine's targets. */
class NodeResourcePlanTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @Test
    void clusterScopedWithShortName() {
        assertThat(HasMetadata.getApiVersion(NodeResourcePlan.class)).isEqualTo("respool.io/v1alpha1");
        assertThat(HasMetadata.getFullResourceName(NodeResourcePlan.class)).isEqualTo("noderesourceplans.respool.io");
        assertThat(Namespaced.class.isAssignableFrom(NodeResourcePlan.class)).isFalse();
        assertThat(NodeResourcePlan.class.getAnnotation(io.fabric8.kubernetes.model.annotation.ShortNames.class).value())
                .containsExactly("nrp");
    }

    @Test
    void targetsMapOneToOneOntoTheEngine() {
        CgroupRenderer.Target capped = new CgroupRenderer.Target(750, 500, 2000, 2000);
        CgroupRenderer.Target open = new CgroupRenderer.Target(1L << 30, 0, Quantities.UNLIMITED, 1000);
        assertThat(NodeTarget.from(capped).toEngine()).isEqualTo(capped);
        assertThat(NodeTarget.from(open).getCap()).isNull();
        assertThat(NodeTarget.from(open).toEngine()).isEqualTo(open);

        PlannedWorkload w = new PlannedWorkload(PlannedWorkload.CONTAINER, "payments", "web", null, "uid-1");
        w.replaceTargets(Map.of(Dimension.CPU, capped, Dimension.MEMORY, open));
        assertThat(w.engineTargets()).containsOnlyKeys(Dimension.CPU, Dimension.MEMORY)
                .containsEntry(Dimension.CPU, capped).containsEntry(Dimension.MEMORY, open);
        assertThat(w.getDiskIOPS()).isNull();
    }

    @Test
    void jsonNamesAreTheContract() {
        PlannedWorkload w = new PlannedWorkload(PlannedWorkload.VIRTUAL_MACHINE, "payments", "db", "production", "uid-2");
        w.setDiskIOPS(new NodeTarget(100, 0, null, 1000));
        NodeResourcePlan plan = new NodeResourcePlan();
        plan.getMetadata().setName("node-1");
        plan.setSpec(new NodeResourcePlanSpec("node-1", List.of(w)));
        NodeResourcePlanStatus status = new NodeResourcePlanStatus();
        status.setCgroupVersion("v2");
        status.setCgroupDriver("systemd");
        AppliedWorkload applied = new AppliedWorkload(PlannedWorkload.VIRTUAL_MACHINE, "payments", "db", "uid-2");
        applied.setFound(true);
        applied.getApplied().put("cpu.weight", "39");
        applied.setUsage(new WorkloadUsage());
        applied.setDemand(new WorkloadDemand(1500L, null));
        applied.getEnforcement().add(new DimensionEnforcement("diskIOPS", false, "ControllerUnavailable", "no io"));
        status.getWorkloads().add(applied);
        plan.setStatus(status);

        JsonNode json = SERIALIZATION.convertValue(plan, JsonNode.class);
        JsonNode pw = json.at("/spec/workloads/0");
        assertThat(pw.get("podUID").asText()).isEqualTo("uid-2");
        assertThat(pw.get("diskIOPS").get("cap")).isNull();
        assertThat(pw.get("diskIOPS").get("shares").asLong()).isEqualTo(1000);
        assertThat(pw.has("cpu")).isFalse();
        assertThat(pw.has("memoryOverhead")).isFalse();
        JsonNode aw = json.at("/status/workloads/0");
        assertThat(aw.get("found").asBoolean()).isTrue();
        assertThat(aw.get("applied").get("cpu.weight").asText()).isEqualTo("39");
        assertThat(aw.at("/usage/memoryWorkingSetBytes").asLong()).isZero();
        assertThat(aw.at("/demand/cpu").asLong()).isEqualTo(1500);
        assertThat(aw.at("/demand").has("memory")).isFalse();
        assertThat(aw.at("/enforcement/0/dimension").asText()).isEqualTo("diskIOPS");

        w.setMemoryOverhead(306_184_192L);
        assertThat(SERIALIZATION.convertValue(plan, JsonNode.class).at("/spec/workloads/0/memoryOverhead").asLong())
                .isEqualTo(306_184_192L);

        NodeResourcePlan back = SERIALIZATION.unmarshal(SERIALIZATION.asYaml(plan), NodeResourcePlan.class);
        assertThat(back.getSpec().getWorkloads().get(0).getMemoryOverhead()).isEqualTo(306_184_192L);
        assertThat(back.getSpec().getWorkloads().get(0).engineTargets().get(Dimension.DISK_IOPS).cap())
                .isEqualTo(Quantities.UNLIMITED);
        assertThat(back.getStatus().getWorkloads().get(0).getEnforcement().get(0).isEnforced()).isFalse();
    }
}
