package io.respool.operator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.respool.api.NodeResourcePlan;
import io.respool.api.PlannedWorkload;
import io.respool.api.RunStrategy;
import io.respool.api.VirtualMachine;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** VirtualMachines before and after KubeVirt's CRD appears, their KubeVirt VMs, and Windows guests. */
@SuppressWarnings({"unchecked", "cast"}) // reading KubeVirt's untyped object
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VirtualMachineIT extends ClusterTestSupport {

    private static final ResourceDefinitionContext KUBEVIRT_VMS = new ResourceDefinitionContext.Builder()
            .withGroup("kubevirt.io").withVersion("v1").withKind("VirtualMachine").withPlural("virtualmachines")
            .withNamespaced(true).build();

    @Override
    protected void setUpCluster() {
        node("kv-1", "8", "32Gi", Map.of("kubevirt.io/schedulable", "true"));
        node("plain-1", "32", "128Gi", Map.of());
        namespace("vms", Map.of());
    }

    private GenericKubernetesResource kubeVirtVm(String name) {
        return client.genericKubernetesResources(KUBEVIRT_VMS).inNamespace("vms").withName(name).get();
    }

    @Test
    @Order(1)
    void withoutKubeVirtTheVmIsAdmittedButNotReady() {
        create(VirtualMachine.class, """
                apiVersion: respool.io/v1alpha1
                kind: VirtualMachine
                metadata: {name: db, namespace: vms}
                spec:
                  cpu: {vcpus: 4, reservation: "2"}
                  memory: {size: 8Gi, reservation: 4Gi}
                  disks:
                    - {name: root, image: quay.io/containerdisks/fedora:41}
                    - {name: data, persistentVolumeClaim: db-data}
                  cloudInit:
                    userData: |
                      #cloud-config
                      hostname: db
                """);
        eventually(() -> {
            VirtualMachine db = virtualMachine("vms", "db");
            Condition ready = condition(db.getStatus().getConditions(), "Ready");
            assertThat(ready.getStatus()).isEqualTo("False");
            assertThat(ready.getReason()).isEqualTo("KubeVirtNotInstalled");
            assertThat(ready.getMessage()).contains("virtualmachines.kubevirt.io");
            assertThat(condition(db.getStatus().getConditions(), "Admitted").getStatus()).isEqualTo("True");
            // plain-1 has more room but is not a KubeVirt node
            assertThat(db.getStatus().getNode()).isEqualTo("kv-1");
            assertThat(db.getStatus().getPhase()).isEqualTo("Pending");
        });
    }

    @Test
    @Order(2)
    void whenKubeVirtAppearsTheKubeVirtVmIsCreatedWithRespoolsFigures() {
        applyYamlResource("/it/kubevirt-virtualmachines-crd.yaml");
        waitEstablished("virtualmachines.kubevirt.io");
        eventually(() -> assertThat(kubeVirtVm("db")).isNotNull());
        GenericKubernetesResource vm = kubeVirtVm("db");
        VirtualMachine db = virtualMachine("vms", "db");
        assertThat(vm.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(db.getMetadata().getUid());
        assertThat(vm.getMetadata().getOwnerReferences().get(0).getController()).isTrue();
        assertThat((String) vm.get("spec", "runStrategy")).isEqualTo("Always");
        assertThat((Map<String, Object>) vm.get("spec", "template", "metadata", "labels"))
                .containsEntry("respool.io/virtualmachine", "db");
        assertThat((Integer) vm.get("spec", "template", "spec", "domain", "cpu", "cores")).isEqualTo(4);
        assertThat((String) vm.get("spec", "template", "spec", "domain", "memory", "guest")).isEqualTo("8Gi");
        assertThat((Map<String, Object>) vm.get("spec", "template", "spec", "domain", "resources", "requests"))
                .containsEntry("cpu", "2").containsEntry("memory", "4Gi");
        // limits: a VM's defaults, its vCPUs and its memory size
        assertThat((Map<String, Object>) vm.get("spec", "template", "spec", "domain", "resources", "limits"))
                .containsEntry("cpu", "4").containsEntry("memory", "8Gi");
        // KubeVirt's launcher overhead goes to the pod's limit only: the pod requests the reservation
        assertThat((Boolean) vm.get("spec", "template", "spec", "domain", "resources", "overcommitGuestOverhead"))
                .isTrue();
        Map<String, Object> expression = ((List<Map<String, Object>>) ((List<Map<String, Object>>) vm.get("spec",
                "template", "spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
                "nodeSelectorTerms")).get(0).get("matchExpressions")).get(0);
        assertThat(expression).containsEntry("key", "kubernetes.io/hostname").containsEntry("operator", "In")
                .containsEntry("values", List.of("kv-1"));
        List<Map<String, Object>> disks = vm.get("spec", "template", "spec", "domain", "devices", "disks");
        assertThat(disks).extracting(d -> d.get("name")).containsExactly("root", "data", "cloudinit");
        assertThat(disks).allSatisfy(d -> assertThat(d.get("disk")).isEqualTo(Map.of("bus", "virtio")));
        List<Map<String, Object>> volumes = vm.get("spec", "template", "spec", "volumes");
        assertThat(volumes.get(0)).isEqualTo(Map.of("name", "root",
                "containerDisk", Map.of("image", "quay.io/containerdisks/fedora:41")));
        assertThat(volumes.get(1)).isEqualTo(Map.of("name", "data",
                "persistentVolumeClaim", Map.of("claimName", "db-data")));
        assertThat(volumes.get(2)).isEqualTo(Map.of("name", "cloudinit",
                "cloudInitNoCloud", Map.of("userData", "#cloud-config\nhostname: db\n")));
        assertThat((Object) vm.get("spec", "template", "spec", "domain", "features")).isNull();

        // KubeVirt reports the VM running: respool mirrors it.
        vm.setAdditionalProperty("status", Map.of("printableStatus", "Running", "ready", true));
        client.genericKubernetesResources(KUBEVIRT_VMS).inNamespace("vms").resource(vm).updateStatus();
        eventually(() -> {
            VirtualMachine after = virtualMachine("vms", "db");
            assertThat(after.getStatus().getPhase()).isEqualTo("Running");
            Condition ready = condition(after.getStatus().getConditions(), "Ready");
            assertThat(ready.getStatus()).isEqualTo("True");
            assertThat(ready.getReason()).isEqualTo("KubeVirtRunning");
        });
    }

    @Test
    @Order(3)
    void windowsGuestsGetHyperVEnlightenmentsUefiAndSata() {
        create(VirtualMachine.class, """
                apiVersion: respool.io/v1alpha1
                kind: VirtualMachine
                metadata: {name: win, namespace: vms}
                spec:
                  os: windows
                  cpu: {vcpus: 2, reservation: "1"}
                  memory: {size: 4Gi, reservation: 4Gi}
                  disks: [{name: c, persistentVolumeClaim: win-c}]
                """);
        eventually(() -> assertThat(kubeVirtVm("win")).isNotNull());
        GenericKubernetesResource vm = kubeVirtVm("win");
        Map<String, Object> hyperv = vm.get("spec", "template", "spec", "domain", "features", "hyperv");
        assertThat(hyperv).containsKeys("relaxed", "vapic", "vpindex", "runtime", "synic", "synictimer", "reset",
                "frequencies", "ipi", "tlbflush");
        assertThat(hyperv.get("spinlocks")).isEqualTo(Map.of("spinlocks", 8191));
        assertThat((Map<String, Object>) vm.get("spec", "template", "spec", "domain", "features"))
                .containsKeys("acpi", "apic", "smm");
        Map<String, Object> timer = vm.get("spec", "template", "spec", "domain", "clock", "timer");
        assertThat(timer).containsEntry("hpet", Map.of("present", false))
                .containsEntry("pit", Map.of("tickPolicy", "delay"))
                .containsEntry("rtc", Map.of("tickPolicy", "catchup"))
                .containsKey("hyperv");
        assertThat((Object) vm.get("spec", "template", "spec", "domain", "clock", "utc")).isEqualTo(Map.of());
        assertThat((Boolean) vm.get("spec", "template", "spec", "domain", "firmware", "bootloader", "efi",
                "secureBoot")).isTrue();
        assertThat((Object) vm.get("spec", "template", "spec", "domain", "devices", "tpm")).isEqualTo(Map.of());
        List<Map<String, Object>> disks = vm.get("spec", "template", "spec", "domain", "devices", "disks");
        assertThat(disks.get(0).get("disk")).isEqualTo(Map.of("bus", "sata"));
        assertThat((Map<String, Object>) vm.get("spec", "template", "spec", "domain", "resources", "requests"))
                .containsEntry("cpu", "1").containsEntry("memory", "4Gi");
    }

    @Test
    @Order(4)
    void theVirtLauncherPodsUidReachesTheNodeResourcePlan() {
        // What KubeVirt would do: a virt-launcher pod with the template's labels, bound to the node.
        client.pods().inNamespace("vms").resource(new PodBuilder()
                .withNewMetadata().withName("virt-launcher-db-abcde")
                .withLabels(Map.of("kubevirt.io", "virt-launcher", "respool.io/virtualmachine", "db"))
                .endMetadata()
                .withNewSpec().withNodeName("kv-1")
                .addNewContainer().withName("compute").withImage("virt-launcher").endContainer()
                .endSpec().build()).create();
        String uid = client.pods().inNamespace("vms").withName("virt-launcher-db-abcde").get().getMetadata().getUid();
        eventually(() -> {
            NodeResourcePlan plan = client.resources(NodeResourcePlan.class).withName("kv-1").get();
            PlannedWorkload db = plan.getSpec().getWorkloads().stream().filter(w -> w.getName().equals("db"))
                    .findFirst().orElseThrow();
            assertThat(db.getKind()).isEqualTo("VirtualMachine");
            assertThat(db.getPodUID()).isEqualTo(uid);
            assertThat(db.getCpu().getFloor()).isEqualTo(2000);
            assertThat(db.getCpu().getCap()).isEqualTo(4000L);
            assertThat(db.getMemory().getFloor()).isEqualTo(4L << 30);
            // KubeVirt's launcher overhead, which the agent adds to the memory cap: 8Gi / 512 = 16Mi of
            // page tables, 220Mi of processes, 4 × 8Mi per vCPU, 8Mi IO thread, 16Mi video = 292Mi.
            assertThat(db.getMemoryOverhead()).isEqualTo(292L << 20);
        });
    }

    @Test
    @Order(5)
    void haltingKeepsTheKubeVirtVmStoppedAndReleasesTheReservation() {
        client.resources(VirtualMachine.class).inNamespace("vms").withName("win").edit(v -> {
            v.getSpec().setRunStrategy(RunStrategy.Halted);
            return v;
        });
        eventually(() -> {
            assertThat((String) kubeVirtVm("win").get("spec", "runStrategy")).isEqualTo("Halted");
            VirtualMachine win = virtualMachine("vms", "win");
            assertThat(condition(win.getStatus().getConditions(), "Admitted").getReason()).isEqualTo("NotRunning");
            assertThat(win.getStatus().getNode()).isNull();
        });
    }
}
