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
 *       {@code respool.io/virtualmachine} label, as with KubeVirt), its affinity, requests and
 *       limits = {@code domain.resources}, and the {@code kubevirt.io/schedulable=true} node
 *       selector KubeVirt adds, after KubeVirt's defaulting of requests (see {@link #defaultRequests}).
 *       KubeVirt also adds the launcher's own memory overhead to the requests, runs
 *       a VirtualMachineInstance between VM and pod, and the guest's disks and devices; none of that
 *       is simulated: here the VM owns its pod directly and nothing boots.</li>
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
     * @param requestDefaults apply KubeVirt's defaulting of requests ({@link #defaultRequests}); false:
     *                        the launcher pod requests exactly {@code domain.resources.requests}, which
     *                        KubeVirt never does when they are zero or absent and limits are set
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
        Map<String, Object> resources = map(domain.get("resources"));

        Map<String, String> labels = new LinkedHashMap<>();
        map(templateMeta.get("labels")).forEach((k, v) -> labels.put(k, String.valueOf(v)));
        labels.put(LAUNCHER_LABEL, LAUNCHER_VALUE);
        labels.put(VM_NAME_LABEL, vm.getMetadata().getName());

        Map<String, Quantity> limits = quantities(resources.get("limits"));
        Map<String, Quantity> requests = quantities(resources.get("requests"));
        if (requestDefaults) {
            requests = defaultRequests(requests, limits, map(domain.get("memory")).get("guest"));
        } else {
            // Without KubeVirt's defaults, an absent request must still not become the limit
            // (Kubernetes' own defaulting of pods): write it as 0.
            for (String r : List.of("cpu", "memory")) {
                requests.putIfAbsent(r, new Quantity("0"));
            }
        }
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
                .withNewResources().withRequests(requests).withLimits(limits).endResources()
                .endContainer()
                .endSpec()
                .build();
        return client.pods().inNamespace(vm.getMetadata().getNamespace()).resource(pod).create().getMetadata().getName();
    }

    /**
     * KubeVirt's defaults for a VirtualMachineInstance's requests (its mutating webhook): a cpu or
     * memory request that is absent or zero becomes the limit when there is one, and a memory request
     * still absent becomes the guest memory. KubeVirt then adds the launcher's memory overhead to
     * the pod's request; the stand-in does not.
     */
    static Map<String, Quantity> defaultRequests(Map<String, Quantity> requests, Map<String, Quantity> limits,
                                                 Object guestMemory) {
        Map<String, Quantity> result = new LinkedHashMap<>(requests);
        for (String r : List.of("cpu", "memory")) {
            Quantity q = result.get(r);
            boolean zero = q == null || q.getNumericalAmount().signum() == 0;
            if (zero && limits.get(r) != null && limits.get(r).getNumericalAmount().signum() != 0) {
                result.put(r, limits.get(r));
            }
        }
        if (!result.containsKey("memory") && guestMemory != null) {
            result.put("memory", new Quantity(String.valueOf(guestMemory)));
        }
        return result;
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
