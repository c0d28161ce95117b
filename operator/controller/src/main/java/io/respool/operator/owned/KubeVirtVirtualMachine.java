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
 *   <li>{@code domain.resources}: requests = reservations, limits = effective limits (by default the
 *       vCPUs and the memory size; see {@link ContainerPod} for why not the cap), and
 *       {@code overcommitGuestOverhead: true}; see below;</li>
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
 *
 * <p>Requests and KubeVirt. KubeVirt does not pass a VM's requests to its virt-launcher pod as
 * written:
 * <ul>
 *   <li>a cpu or memory request that is absent or 0 becomes the limit when there is one (its VMI
 *       defaults), so a VM that reserves nothing would book its whole size in kube-scheduler and
 *       keep VMs that respool admitted off the node respool chose. A zero reservation is therefore
 *       written as the least request KubeVirt keeps: 1m cpu and 1Mi memory (KubeVirt refuses a
 *       memory request between 0 and 1M, so a smaller reservation is rounded up to 1Mi as well).
 *       Only a zero effective limit, which KubeVirt does not copy, keeps a zero request. The least
 *       request is not reserved: on a node reserved to the last millicore or MiB an unreserved VM
 *       stays Pending;</li>
 *   <li>it adds the launcher's memory overhead (qemu, libvirt, page tables: about 250Mi plus 8Mi per
 *       vCPU) to the pod's memory request and, when there is one, to its memory limit. respool
 *       places a VM by its reservation alone, so that overhead would make kube-scheduler keep a VM
 *       Pending on the node respool chose whenever the node's unreserved memory is smaller than it.
 *       {@code overcommitGuestOverhead: true} is KubeVirt's own switch to leave the overhead out of
 *       the request (the limit keeps it, so the guest is not squeezed by its own limit): the pod
 *       then requests exactly the reservation, as respool accounts it. The overhead is not booked
 *       by kube-scheduler nor by respool; leave room for it on KubeVirt nodes (kubelet
 *       {@code --system-reserved}, or pools that do not reserve a node to the last MiB). The node
 *       agent, which writes the VM's cap on the launcher pod's cgroup, adds the same estimate
 *       ({@link #launcherMemoryOverhead}, carried in the node plan) to that cap, as the limit does:
 *       a VM capped at its memory size can use all of it without the pod being OOM-killed.</li>
 *   <li>it refuses a VM whose memory limit is below its guest memory. When the VM's own limit or
 *       its pools' narrow the memory limit below the VM's size, the memory limit is left out of the
 *       KubeVirt VM; the node agent still caps the launcher pod's cgroup at the cap (plus the
 *       overhead).</li>
 * </ul>
 * KubeVirt's cpu topology comes from {@code domain.cpu} (cores = vCPUs), not from the limits, and
 * with a cpu request written KubeVirt does not apply its own cpu request default (vCPUs divided by
 * its cpuAllocationRatio).
 */
public final class KubeVirtVirtualMachine {

    /** The least cpu request (millicores) written for a VM: KubeVirt replaces 0 by the limit. */
    static final long MIN_CPU_REQUEST = 1;
    /** The least memory request (bytes) written for a VM: 0 becomes the limit, below 1M is refused. */
    static final long MIN_MEMORY_REQUEST = 1L << 20;

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
        long guestMemory = memorySize(vm);
        for (Dimension d : List.of(Dimension.CPU, Dimension.MEMORY)) {
            WorkloadDimensionStatus s = plan.dimension(d);
            if (s == null) {
                continue;
            }
            requests.put(d.jsonName(), Quantities.format(d, request(d, s)));
            // KubeVirt refuses a memory limit below the guest memory.
            boolean kept = d != Dimension.MEMORY || s.effectiveLimit() >= guestMemory;
            if (s.effectiveLimit() != Quantities.UNLIMITED && kept) {
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
        resources.put("overcommitGuestOverhead", true);

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
        domain.put("memory", map("guest", Quantities.format(Dimension.MEMORY, guestMemory)));
        domain.put("resources", resources);
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

    /**
     * The request written for a VM in dimension d: its reservation, but at least the least request
     * KubeVirt keeps (see the class comment), unless the effective limit is lower still.
     */
    static long request(Dimension d, WorkloadDimensionStatus s) {
        long least = d == Dimension.CPU ? MIN_CPU_REQUEST : MIN_MEMORY_REQUEST;
        return Math.max(s.reservation(), Math.min(least, s.effectiveLimit()));
    }

    /** Mebibyte, for {@link #launcherMemoryOverhead}. */
    private static final long MI = 1L << 20;

    /**
     * KubeVirt's estimate of the memory the virt-launcher pod of this VM needs besides the guest
     * memory, in bytes: the amount KubeVirt adds to the pod's memory limit. Its terms (KubeVirt's
     * {@code GetMemoryOverhead}, x86_64, cluster-wide settings at their defaults), for the KubeVirt
     * VM that {@link #desired} writes:
     * <ul>
     *   <li>page tables: 1/512 of the memory, taken in kB rounded up. KubeVirt takes the VM's memory
     *       request, which is the reservation here; the guest memory is taken instead, because the
     *       page tables of a guest that uses all its memory grow with the guest memory and the cap
     *       this estimate is added to must hold them (at most (size − reservation) / 512 more than
     *       KubeVirt counts);</li>
     *   <li>220Mi for the processes beside the guest: virt-launcher-monitor 25Mi, virt-launcher 100Mi,
     *       virtlogd 25Mi, virtqemud 40Mi, qemu 30Mi;</li>
     *   <li>8Mi per vCPU and 8Mi for the IO thread;</li>
     *   <li>16Mi of video memory (respool leaves {@code autoattachGraphicsDevice} at its default,
     *       true; recent KubeVirt releases count 32Mi);</li>
     *   <li>53Mi for the TPM's swtpm process (Windows guests get a TPM);</li>
     *   <li>100Mi when KubeVirt sees a VM that wants the Guaranteed QoS class: cpu and memory requests
     *       written equal to, and as non-zero as, the limits written (a VM whose reservations are its
     *       whole size, limits at their defaults).</li>
     * </ul>
     * Not counted, because respool sets none of them: exec probes, VFIO devices, SEV, downward
     * metrics, dedicated cpus; nor KubeVirt's {@code additionalGuestMemoryOverheadRatio} or arm64's
     * 128Mi of UEFI flash, which respool cannot see.
     *
     * @param plan the engine's verdict for the VM (its reservations and effective limits decide the
     *             requests and limits written)
     */
    public static long launcherMemoryOverhead(VirtualMachine vm, WorkloadStatus plan) {
        long guestMemory = memorySize(vm);
        long overhead = Math.ceilDiv(guestMemory, 1000) * 1000 / 512;
        overhead += (25 + 100 + 25 + 40 + 30) * MI;
        Integer vcpus = vm.getSpec().getCpu() == null ? null : vm.getSpec().getCpu().getVcpus();
        overhead += 8 * MI * Math.max(1, vcpus == null ? 1 : vcpus) + 8 * MI;
        overhead += 16 * MI;
        if (vm.getSpec().getOs() == OperatingSystem.WINDOWS) {
            overhead += 53 * MI;
        }
        if (wantsGuaranteedQos(plan, guestMemory)) {
            overhead += 100 * MI;
        }
        return overhead;
    }

    /** KubeVirt's test: cpu and memory requests as written, non-zero and equal to the limits written. */
    private static boolean wantsGuaranteedQos(WorkloadStatus plan, long guestMemory) {
        for (Dimension d : List.of(Dimension.CPU, Dimension.MEMORY)) {
            WorkloadDimensionStatus s = plan.dimension(d);
            if (s == null || s.effectiveLimit() == Quantities.UNLIMITED
                    || (d == Dimension.MEMORY && s.effectiveLimit() < guestMemory)) {
                return false; // no limit written
            }
            long request = request(d, s);
            if (request == 0 || request != s.effectiveLimit()) {
                return false;
            }
        }
        return true;
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
