package io.respool.demo;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in for KubeVirt in simulated clusters: it makes {@code kubevirt.io/v1} VirtualMachines
 * reach Running the way KubeVirt reports them, through a real pod that the real scheduler binds
 * and KWOK starts.
 *
 * <p>What is simulated, and how it differs from KubeVirt:
 * <ul>
 *   <li>A running VM gets one "virt-launcher" pod ({@code virt-launcher-<vm>-xxxxx}) built from the
 *       VM's template: its labels (so respool finds the pod's UID by its
 *       {@code respool.io/virtualmachine} label, as with KubeVirt), its affinity, the
 *       {@code kubevirt.io/schedulable=true} node selector KubeVirt adds, and one "compute" container
 *       whose requests and limits are {@code domain.resources} as KubeVirt renders them: its
 *       defaults and the launcher's memory overhead (see {@link #launcherResources}). KubeVirt also
 *       runs a VirtualMachineInstance between VM and pod, a helper container per container disk
 *       (1m cpu and 1M memory requested each), and the guest's disks and devices; none of that is
 *       simulated: here the VM owns its pod directly and nothing boots.</li>
 *   <li>Status: {@code printableStatus} Starting while the pod is not running, Running with
 *       {@code ready: true} once KWOK reports it Running and Ready, Stopped when halted; plus
 *       {@code created} and a Ready condition.</li>
 *   <li>Halted (or Manual) VMs have no pod. A launcher pod that ended is replaced by a new one from
 *       the current template (as KubeVirt restarts a failed VirtualMachineInstance under
 *       runStrategy Always); one whose node no longer exists is removed at once and replaced
 *       {@link #NODE_LOSS_DETECTION} later (KubeVirt notices a lost node only after its node agent's
 *       heartbeat times out, minutes). A template change alone does not restart a VM, running or
 *       pending (KubeVirt requires a restart too).</li>
 * </ul>
 */
public final class KubeVirtStandIn implements AutoCloseable {

    public static final String CRD_NAME = "virtualmachines.kubevirt.io";
    public static final ResourceDefinitionContext VIRTUAL_MACHINES = new ResourceDefinitionContext.Builder()
            .withGroup("kubevirt.io").withVersion("v1").withKind("VirtualMachine").withPlural("virtualmachines")
            .withNamespaced(true).build();
    /** The label KubeVirt puts on its launcher pods. */
    public static final String LAUNCHER_LABEL = "kubevirt.io";
    public static final String LAUNCHER_VALUE = "virt-launcher";
    /** The label naming the VM a launcher pod runs. */
    public static final String VM_NAME_LABEL = "vm.kubevirt.io/name";

    private static final Logger log = LoggerFactory.getLogger(KubeVirtStandIn.class);
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    private final KubernetesClient client;
    private final ExecutorService worker;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    /** Per VM: the launcher pod created last, until the informer has seen it (never two pods for one VM). */
    private final Map<String, Expected> expected = new ConcurrentHashMap<>();
    /** Per VM: when its launcher pod was found on a vanished node. */
    private final Map<String, Long> lostNode = new ConcurrentHashMap<>();
    /** How long after its node vanished a VM's new instance starts (KubeVirt takes minutes). */
    static final Duration NODE_LOSS_DETECTION = Duration.ofSeconds(5);
    /** KubeVirt's default cpuAllocationRatio: without a cpu request, a VM requests 1/10 cpu per vCPU. */
    static final int CPU_ALLOCATION_RATIO = 10;
    private static final long MI = 1L << 20;
    private SharedIndexInformer<GenericKubernetesResource> vms;
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<Node> nodes;
    private volatile boolean closed;

    private final boolean requestDefaults;

    private KubeVirtStandIn(KubernetesClient client, boolean requestDefaults) {
        this.client = client;
        this.requestDefaults = requestDefaults;
        // One worker: a VM is never reconciled twice at once.
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "kubevirt-stand-in");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Installs the stand-in VirtualMachine CRD (unless it exists) and starts the controller.
     *
     * @param requestDefaults render the launcher's requests and limits as KubeVirt does
     *                        ({@link #launcherResources}: zero or absent requests become the limits,
     *                        the launcher's memory overhead is added); false: the launcher pod requests
     *                        and limits exactly {@code domain.resources}, which KubeVirt never does
     */
    public static KubeVirtStandIn start(KubernetesClient client, boolean requestDefaults) {
        installCrd(client);
        KubeVirtStandIn s = new KubeVirtStandIn(client, requestDefaults);
        s.run();
        return s;
    }

    /** Installs only the CRD: then KubeVirt counts as installed but nothing runs the VMs. */
    public static void installCrd(KubernetesClient client) {
        try (InputStream in = KubeVirtStandIn.class.getResourceAsStream("kubevirt-virtualmachines-crd.yaml")) {
            client.load(in).serverSideApply();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client.apiextensions().v1().customResourceDefinitions().withName(CRD_NAME)
                .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null
                        && c.getStatus().getConditions().stream()
                        .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())),
                        60, TimeUnit.SECONDS);
    }

    private void run() {
        vms = client.genericKubernetesResources(VIRTUAL_MACHINES).inAnyNamespace().runnableInformer(0);
        vms.addEventHandler(handler(vm -> enqueue(vm.getMetadata().getNamespace(), vm.getMetadata().getName())));
        pods = client.pods().inAnyNamespace().withLabel(LAUNCHER_LABEL, LAUNCHER_VALUE).runnableInformer(0);
        pods.addEventHandler(handler(pod -> {
            Map<String, String> labels = pod.getMetadata().getLabels();
            if (labels != null && labels.get(VM_NAME_LABEL) != null) {
                enqueue(pod.getMetadata().getNamespace(), labels.get(VM_NAME_LABEL));
            }
        }));
        nodes = client.nodes().runnableInformer(0);
        nodes.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node obj) {
            }

            @Override
            public void onUpdate(Node oldObj, Node newObj) {
            }

            @Override
            public void onDelete(Node node, boolean unknownFinalState) {
                // Its launcher pods are now on a vanished node: look at their VMs again.
                for (Pod pod : pods.getStore().list()) {
                    if (node.getMetadata().getName().equals(pod.getSpec().getNodeName())) {
                        enqueue(pod.getMetadata().getNamespace(), pod.getMetadata().getLabels().get(VM_NAME_LABEL));
                    }
                }
            }
        });
        try {
            nodes.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
            pods.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
            vms.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the KubeVirt stand-in's informers did not start: " + e, e);
        }
    }

    private <T> ResourceEventHandler<T> handler(java.util.function.Consumer<T> onChange) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                onChange.accept(obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                onChange.accept(newObj);
            }

            @Override
            public void onDelete(T obj, boolean unknownFinalState) {
                onChange.accept(obj);
            }
        };
    }

    private void enqueue(String namespace, String name) {
        String key = Cache.namespaceKeyFunc(namespace, name);
        if (!closed && queued.add(key)) {
            worker.execute(() -> {
                queued.remove(key);
                try {
                    reconcile(namespace, name);
                } catch (KubernetesClientException e) {
                    if (!closed) {
                        log.debug("KubeVirt stand-in: {} again after {}", key, e.getMessage());
                        retryLater(namespace, name);
                    }
                } catch (RuntimeException e) {
                    if (!closed) {
                        log.warn("KubeVirt stand-in: {} failed", key, e);
                        retryLater(namespace, name);
                    }
                }
            });
        }
    }

    private void retryLater(String namespace, String name) {
        retryLater(namespace, name, Duration.ofMillis(500));
    }

    private void retryLater(String namespace, String name, Duration after) {
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(after);
            } catch (InterruptedException e) {
                return;
            }
            enqueue(namespace, name);
        });
    }

    private void reconcile(String namespace, String name) {
        GenericKubernetesResource vm = vms.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
        List<Pod> launchers = pods.getStore().list().stream()
                .filter(p -> namespace.equals(p.getMetadata().getNamespace())
                        && name.equals(p.getMetadata().getLabels().get(VM_NAME_LABEL)))
                .toList();
        if (vm == null || vm.getMetadata().getDeletionTimestamp() != null) {
            // What deleting the VirtualMachineInstance does in KubeVirt.
            launchers.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).forEach(this::delete);
            return;
        }
        Map<String, Object> spec = map(vm.getAdditionalProperties().get("spec"));
        String runStrategy = spec.get("runStrategy") instanceof String s ? s
                : Boolean.TRUE.equals(spec.get("running")) ? "Always" : "Halted";
        boolean shouldRun = !"Halted".equals(runStrategy) && !"Manual".equals(runStrategy);

        Pod live = null;
        for (Pod p : launchers) {
            if (p.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            if (nodeGone(p)) {
                lostNode.putIfAbsent(Cache.namespaceKeyFunc(namespace, name), System.nanoTime());
            }
            if (!shouldRun || ended(p) || nodeGone(p) || live != null) {
                delete(p);
            } else {
                live = p;
            }
        }
        String key = Cache.namespaceKeyFunc(namespace, name);
        Expected pending = expected.get(key);
        String pendingPod = pending == null ? null : pending.pod();
        if (pending != null && (launchers.stream().anyMatch(p -> p.getMetadata().getName().equals(pendingPod))
                || System.nanoTime() - pending.atNanos() > Duration.ofSeconds(30).toNanos())) {
            expected.remove(key);
            pending = null;
        }
        // Like KubeVirt, a new instance starts only once the old one's pod is gone.
        boolean terminating = launchers.stream()
                .anyMatch(p -> p.getMetadata().getDeletionTimestamp() != null && !nodeGone(p));
        // KubeVirt notices that a VM's node is gone only when its node agent stops reporting, and
        // then starts a new instance from the VM's template as it is by then.
        Long lost = lostNode.get(key);
        if (lost != null && System.nanoTime() - lost < NODE_LOSS_DETECTION.toNanos()) {
            retryLater(namespace, name, NODE_LOSS_DETECTION.minusNanos(System.nanoTime() - lost).plusMillis(50));
            writeStatus(vm, "Starting", false, false);
            return;
        }
        lostNode.remove(key);
        if (shouldRun && live == null && pending == null && !terminating) {
            expected.put(key, new Expected(create(vm, spec), System.nanoTime()));
        }

        String printable;
        boolean ready = false;
        if (!shouldRun) {
            printable = launchers.isEmpty() ? "Stopped" : "Stopping";
        } else if (live != null && running(live)) {
            printable = "Running";
            ready = true;
        } else {
            printable = "Starting";
        }
        writeStatus(vm, printable, ready, live != null);
    }

    private record Expected(String pod, long atNanos) {
    }

    /** Creates the launcher pod and returns its name. */
    private String create(GenericKubernetesResource vm, Map<String, Object> spec) {
        Map<String, Object> template = map(spec.get("template"));
        Map<String, Object> templateMeta = map(template.get("metadata"));
        Map<String, Object> templateSpec = map(template.get("spec"));
        Map<String, Object> domain = map(templateSpec.get("domain"));

        Map<String, String> labels = new LinkedHashMap<>();
        map(templateMeta.get("labels")).forEach((k, v) -> labels.put(k, String.valueOf(v)));
        labels.put(LAUNCHER_LABEL, LAUNCHER_VALUE);
        labels.put(VM_NAME_LABEL, vm.getMetadata().getName());

        LauncherResources resources = launcherResources(domain, requestDefaults);
        Affinity affinity = templateSpec.get("affinity") == null ? null
                : JSON.convertValue(templateSpec.get("affinity"), Affinity.class);

        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withGenerateName("virt-launcher-" + vm.getMetadata().getName() + "-")
                .withNamespace(vm.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(Map.of("respool.io/simulated", "KubeVirt stand-in: no guest runs in this pod"))
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("kubevirt.io/v1")
                        .withKind("VirtualMachine").withName(vm.getMetadata().getName())
                        .withUid(vm.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withNewSpec()
                .withNodeSelector(Map.of("kubevirt.io/schedulable", "true"))
                .withAffinity(affinity)
                .withRestartPolicy("Never")
                .withTerminationGracePeriodSeconds(30L)
                .addNewContainer()
                .withName("compute")
                .withImage("virt-launcher:simulated")
                .withNewResources().withRequests(resources.requests()).withLimits(resources.limits()).endResources()
                .endContainer()
                .endSpec()
                .build();
        return client.pods().inNamespace(vm.getMetadata().getNamespace()).resource(pod).create().getMetadata().getName();
    }

    /** The requests and limits of a launcher pod's compute container. */
    record LauncherResources(Map<String, Quantity> requests, Map<String, Quantity> limits) {
    }

    /**
     * The compute container's requests and limits for a VM's {@code domain}.
     *
     * <p>With {@code kubeVirtRendering}, as KubeVirt renders them (its VMI defaults, then its
     * launcher pod template; cluster-wide settings at their defaults, x86_64):
     * <ol>
     *   <li>a cpu or memory request that is absent or 0 becomes the limit when the limit is not 0;</li>
     *   <li>a memory request still absent becomes the guest memory ({@code domain.memory.guest});</li>
     *   <li>a cpu request still absent becomes vCPUs / {@value #CPU_ALLOCATION_RATIO}, vCPUs being
     *       cores × sockets × threads of {@code domain.cpu};</li>
     *   <li>the launcher's memory overhead ({@link #memoryOverhead}) is added to the memory limit if
     *       there is one, and to the memory request unless
     *       {@code domain.resources.overcommitGuestOverhead} is true.</li>
     * </ol>
     * Without it, exactly what {@code domain.resources} says, an absent cpu or memory request
     * written as 0 (so that Kubernetes' own defaulting of pods does not turn it into the limit).
     */
    static LauncherResources launcherResources(Map<String, Object> domain, boolean kubeVirtRendering) {
        Map<String, Object> resources = map(domain.get("resources"));
        Map<String, Quantity> requests = quantities(resources.get("requests"));
        Map<String, Quantity> limits = quantities(resources.get("limits"));
        if (!kubeVirtRendering) {
            for (String r : List.of("cpu", "memory")) {
                requests.putIfAbsent(r, new Quantity("0"));
            }
            return new LauncherResources(requests, limits);
        }
        for (String r : List.of("cpu", "memory")) {
            Quantity q = requests.get(r);
            boolean zero = q == null || q.getNumericalAmount().signum() == 0;
            if (zero && limits.get(r) != null && limits.get(r).getNumericalAmount().signum() != 0) {
                requests.put(r, limits.get(r));
            }
        }
        Object guest = map(domain.get("memory")).get("guest");
        if (!requests.containsKey("memory") && guest != null && bytes(new Quantity(String.valueOf(guest))) > 0) {
            requests.put("memory", new Quantity(String.valueOf(guest)));
        }
        long vcpus = vcpus(map(domain.get("cpu")), requests, limits);
        if (!requests.containsKey("cpu")) {
            requests.put("cpu", cpu(vcpus * 1000 / CPU_ALLOCATION_RATIO));
        }
        long memoryRequest = requests.containsKey("memory") ? bytes(requests.get("memory")) : 0;
        long overhead = memoryOverhead(domain, memoryRequest, vcpus);
        if (limits.containsKey("memory")) {
            limits.put("memory", memory(bytes(limits.get("memory")) + overhead));
        }
        if (!Boolean.TRUE.equals(resources.get("overcommitGuestOverhead"))) {
            requests.put("memory", memory(memoryRequest + overhead));
        }
        return new LauncherResources(requests, limits);
    }

    /**
     * KubeVirt's estimate of the memory a launcher needs besides the guest (x86_64, no devices
     * beyond those respool sets): page tables of 1/512 of the memory request (taken in kB, rounded
     * up), 220Mi for virt-launcher, its monitor, virtlogd, virtqemud and qemu, 8Mi per vCPU, 8Mi
     * for the IO thread, 16Mi of video memory unless {@code autoattachGraphicsDevice} is false,
     * 53Mi for a TPM's swtpm.
     */
    static long memoryOverhead(Map<String, Object> domain, long memoryRequest, long vcpus) {
        long overhead = Math.ceilDiv(memoryRequest, 1000) * 1000 / 512;
        overhead += 220 * MI + 8 * MI * Math.max(1, vcpus) + 8 * MI;
        Map<String, Object> devices = map(domain.get("devices"));
        if (!Boolean.FALSE.equals(devices.get("autoattachGraphicsDevice"))) {
            overhead += 16 * MI;
        }
        if (devices.get("tpm") != null && !Boolean.FALSE.equals(map(devices.get("tpm")).get("enabled"))) {
            overhead += 53 * MI;
        }
        return overhead;
    }

    /** vCPUs: cores × sockets × threads; without any of them, the cpu limit, else the request, else 1. */
    private static long vcpus(Map<String, Object> cpu, Map<String, Quantity> requests, Map<String, Quantity> limits) {
        long cores = count(cpu.get("cores"));
        long sockets = count(cpu.get("sockets"));
        long threads = count(cpu.get("threads"));
        if (cores == 0 && sockets == 0 && threads == 0) {
            Quantity q = limits.containsKey("cpu") ? limits.get("cpu") : requests.get("cpu");
            return Math.max(1, q == null ? 0 : bytes(q));
        }
        return Math.max(1, cores) * Math.max(1, sockets) * Math.max(1, threads);
    }

    private static long count(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    /** A quantity in its base unit (bytes, cores), rounded up. */
    private static long bytes(Quantity q) {
        return q.getNumericalAmount().setScale(0, java.math.RoundingMode.CEILING).longValueExact();
    }

    private static Quantity memory(long bytes) {
        if (bytes % MI == 0) {
            return new Quantity(bytes / MI + "Mi");
        }
        return bytes % 1024 == 0 ? new Quantity(bytes / 1024 + "Ki") : new Quantity(String.valueOf(bytes));
    }

    private static Quantity cpu(long millis) {
        return new Quantity(millis % 1000 == 0 ? String.valueOf(millis / 1000) : millis + "m");
    }

    private void writeStatus(GenericKubernetesResource vm, String printable, boolean ready, boolean created) {
        Map<String, Object> old = map(vm.getAdditionalProperties().get("status"));
        if (printable.equals(old.get("printableStatus")) && Objects.equals(ready, old.get("ready"))
                && Objects.equals(created, old.get("created"))) {
            return;
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("printableStatus", printable);
        status.put("ready", ready);
        status.put("created", created);
        status.put("conditions", List.of(Map.of("type", "Ready", "status", ready ? "True" : "False",
                "reason", ready ? "Running" : printable, "lastTransitionTime",
                java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())));
        Map<String, Object> patch = Map.of("status", status);
        try {
            client.genericKubernetesResources(VIRTUAL_MACHINES).inNamespace(vm.getMetadata().getNamespace())
                    .withName(vm.getMetadata().getName()).subresource("status")
                    .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), JSON.asJson(patch));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private void delete(Pod pod) {
        // A pod on a vanished node would never finish terminating: remove it at once, as the
        // pod garbage collector does with orphaned pods.
        var op = client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName());
        if (nodeGone(pod)) {
            op.withGracePeriod(0).delete();
        } else {
            op.delete();
        }
    }

    private boolean nodeGone(Pod pod) {
        String node = pod.getSpec().getNodeName();
        return node != null && nodes.getStore().getByKey(node) == null;
    }

    private static boolean ended(Pod pod) {
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return "Failed".equals(phase) || "Succeeded".equals(phase);
    }

    private static boolean running(Pod pod) {
        return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase())
                && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Map<String, Quantity> quantities(Object o) {
        Map<String, Quantity> result = new LinkedHashMap<>();
        map(o).forEach((k, v) -> result.put(k, new Quantity(String.valueOf(v))));
        return result;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** VMs the stand-in currently knows, for tests. */
    public List<GenericKubernetesResource> virtualMachines() {
        return new ArrayList<>(vms.getStore().list());
    }

    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        for (SharedIndexInformer<?> i : new SharedIndexInformer<?>[] {vms, pods, nodes}) {
            if (i != null) {
                i.stop();
            }
        }
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
