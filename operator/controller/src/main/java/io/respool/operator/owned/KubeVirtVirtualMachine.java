package io.respool.operator.owned;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.respool.api.OperatingSystem;
import io.respool.api.RunStrategy;
import io.respool.api.VirtualMachine;
import io.respool.api.VirtualMachineDisk;
import io.respool.api.VirtualMachineSpec;
import io.respool.engine.Dimension;
import io.respool.engine.Quantities;
import io.respool.engine.WorkloadDimensionStatus;
import io.respool.engine.WorkloadStatus;
import io.respool.operator.cluster.Labels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The KubeVirt {@code kubevirt.io/v1 VirtualMachine} that runs a respool VirtualMachine: same name
 * and namespace, controlled by it. Only the fields respool sets, as plain maps (KubeVirt's Java
 * model is not published):
 *
 * <ul>
 *   <li>{@code spec.runStrategy} as given (Halted keeps the object, stopped);</li>
 *   <li>{@code domain.cpu.cores} = vCPUs (one socket, one thread), {@code domain.memory.guest} = size;</li>
 *   <li>{@code domain.resources}: requests = reservations (cpu and memory, when above 0; KubeVirt's
 *       own defaults otherwise), limits = effective limits (by default the vCPUs and the memory
 *       size; see {@link ContainerPod} for why not the cap);</li>
 *   <li>a required node affinity to the node respool chose;</li>
 *   <li>disks: a container disk or a PersistentVolumeClaim each, then cloud-init NoCloud user data;</li>
 *   <li>Windows guests: Hyper-V enlightenments (relaxed, vapic, spinlocks 8191, vpindex, runtime,
 *       synic, synictimer direct, reset, frequencies, ipi, tlbflush), ACPI and APIC, a UTC clock
 *       with the Hyper-V timer, rtc catch-up, pit delay and no HPET, UEFI with Secure Boot (and SMM),
 *       a TPM, SATA disks and an e1000e NIC (Windows has no virtio drivers out of the box).</li>
 * </ul>
 *
 * The template carries the {@code respool.io/virtualmachine} label: KubeVirt copies it to the
 * VirtualMachineInstance and the virt-launcher pod, which is how respool finds that pod's UID for
 * the node agent and leaves its requests out of "other pods".
 */
public final class KubeVirtVirtualMachine {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private KubeVirtVirtualMachine() {
    }

    /**
     * @param plan     the engine's verdict (admitted; placed unless the VM is halted)
     * @param hostname the chosen node's {@code kubernetes.io/hostname} label, or null
     */
    public static GenericKubernetesResource desired(VirtualMachine vm, WorkloadStatus plan, String hostname) {
        VirtualMachineSpec spec = vm.getSpec();
        boolean windows = spec.getOs() == OperatingSystem.WINDOWS;
        String diskBus = windows ? "sata" : "virtio";
        Map<String, String> labels = Owners.labels(Labels.VIRTUAL_MACHINE, vm.getMetadata().getName(), plan.pool());

        Map<String, Object> requests = new LinkedHashMap<>();
        Map<String, Object> limits = new LinkedHashMap<>();
        for (Dimension d : List.of(Dimension.CPU, Dimension.MEMORY)) {
            WorkloadDimensionStatus s = plan.dimension(d);
            if (s == null) {
                continue;
            }
            if (s.reservation() > 0) {
                requests.put(d.jsonName(), Quantities.format(d, s.reservation()));
            }
            if (s.effectiveLimit() != Quantities.UNLIMITED) {
                limits.put(d.jsonName(), Quantities.format(d, s.effectiveLimit()));
            }
        }
        Map<String, Object> resources = new LinkedHashMap<>();
        if (!requests.isEmpty()) {
            resources.put("requests", requests);
        }
        if (!limits.isEmpty()) {
            resources.put("limits", limits);
        }

        List<Object> disks = new ArrayList<>();
        List<Object> volumes = new ArrayList<>();
        for (VirtualMachineDisk disk : spec.getDisks() == null ? List.<VirtualMachineDisk>of() : spec.getDisks()) {
            disks.add(map("name", disk.getName(), "disk", map("bus", diskBus)));
            if (disk.getPersistentVolumeClaim() != null) {
                volumes.add(map("name", disk.getName(),
                        "persistentVolumeClaim", map("claimName", disk.getPersistentVolumeClaim())));
            } else {
                volumes.add(map("name", disk.getName(), "containerDisk", map("image", disk.getImage())));
            }
        }
        if (spec.getCloudInit() != null && spec.getCloudInit().getUserData() != null) {
            disks.add(map("name", "cloudinit", "disk", map("bus", diskBus)));
            volumes.add(map("name", "cloudinit", "cloudInitNoCloud", map("userData", spec.getCloudInit().getUserData())));
        }

        Map<String, Object> devices = new LinkedHashMap<>();
        devices.put("disks", disks);
        Map<String, Object> domain = new LinkedHashMap<>();
        domain.put("cpu", map("cores", spec.getCpu().getVcpus(), "sockets", 1, "threads", 1));
        domain.put("memory", map("guest", Quantities.format(Dimension.MEMORY, memorySize(vm))));
        if (!resources.isEmpty()) {
            domain.put("resources", resources);
        }
        domain.put("devices", devices);
        Map<String, Object> templateSpec = new LinkedHashMap<>();
        if (windows) {
            windows(domain, devices, templateSpec);
        }
        templateSpec.put("domain", domain);
        templateSpec.put("volumes", volumes);
        if (plan.node() != null) {
            templateSpec.put("affinity", toMap(new AffinityBuilder()
                    .withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .withNodeSelectorTerms(Owners.pinTo(plan.node(), hostname))
                    .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build()));
        }

        Map<String, Object> vmSpec = new LinkedHashMap<>();
        RunStrategy strategy = spec.getRunStrategy() == null ? RunStrategy.Always : spec.getRunStrategy();
        vmSpec.put("runStrategy", strategy.name());
        vmSpec.put("template", map("metadata", map("labels", labels), "spec", templateSpec));

        GenericKubernetesResource result = new GenericKubernetesResource();
        result.setApiVersion(KubeVirt.API_VERSION);
        result.setKind(KubeVirt.KIND);
        ObjectMeta meta = new ObjectMetaBuilder()
                .withName(vm.getMetadata().getName())
                .withNamespace(vm.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(Owners.controller(vm))
                .build();
        result.setMetadata(meta);
        // Through JSON once, so that the object is plain maps, lists and scalars like a read one.
        Map<String, Object> plainSpec = toMap(vmSpec);
        result.setAdditionalProperty("spec", plainSpec);
        meta.setAnnotations(new LinkedHashMap<>(Map.of(Labels.SPEC_HASH, Owners.hash(plainSpec))));
        return result;
    }

    /** The hash respool recorded on an existing KubeVirt VM, or null. */
    public static String recordedHash(GenericKubernetesResource existing) {
        Map<String, String> annotations = existing.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(Labels.SPEC_HASH);
    }

    private static long memorySize(VirtualMachine vm) {
        return Quantities.parse(Dimension.MEMORY, vm.getSpec().getMemory().getSize().getAmount()
                + (vm.getSpec().getMemory().getSize().getFormat() == null ? "" : vm.getSpec().getMemory().getSize().getFormat()));
    }

    private static void windows(Map<String, Object> domain, Map<String, Object> devices, Map<String, Object> templateSpec) {
        Map<String, Object> hyperv = new LinkedHashMap<>();
        hyperv.put("relaxed", Map.of());
        hyperv.put("vapic", Map.of());
        hyperv.put("spinlocks", map("spinlocks", 8191));
        hyperv.put("vpindex", Map.of());
        hyperv.put("runtime", Map.of());
        hyperv.put("synic", Map.of());
        hyperv.put("synictimer", map("direct", Map.of()));
        hyperv.put("reset", Map.of());
        hyperv.put("frequencies", Map.of());
        hyperv.put("ipi", Map.of());
        hyperv.put("tlbflush", Map.of());
        domain.put("features", map("acpi", Map.of(), "apic", Map.of(), "hyperv", hyperv, "smm", Map.of()));
        domain.put("clock", map("utc", Map.of(), "timer", map(
                "hpet", map("present", false),
                "pit", map("tickPolicy", "delay"),
                "rtc", map("tickPolicy", "catchup"),
                "hyperv", Map.of())));
        domain.put("firmware", map("bootloader", map("efi", map("secureBoot", true))));
        devices.put("tpm", Map.of());
        devices.put("interfaces", List.of(map("name", "default", "masquerade", Map.of(), "model", "e1000e")));
        templateSpec.put("networks", List.of(map("name", "default", "pod", Map.of())));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(Object o) {
        return JSON.convertValue(o, Map.class);
    }

    /** An insertion-ordered map from alternating keys and values. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
