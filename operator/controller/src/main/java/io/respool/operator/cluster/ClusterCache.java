package io.respool.operator.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.respool.api.AppliedWorkload;
import io.respool.api.Container;
import io.respool.api.NodeResourcePlan;
import io.respool.api.PlannedWorkload;
import io.respool.api.ResourcePool;
import io.respool.api.VirtualMachine;
import io.respool.api.translate.ClusterTranslator;
import io.respool.engine.Dimension;
import io.respool.engine.WorkloadKind;
import io.respool.operator.owned.KubeVirt;
import io.respool.operator.status.Enforcement;
import io.respool.operator.status.Statuses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Informer-backed view of everything the engine reads: pools, workloads, Nodes, Namespaces, Pods
 * (other pods' requests per node, the UIDs of owned pods), NodeResourcePlans (reported demand),
 * and whether KubeVirt is installed (its VirtualMachine CRD, and then its VMs).
 *
 * <p>It tells its {@link Listener} two things: the engine's input changed (only for changes the
 * engine can see: a status-only update of a pool, a pod's readiness or a node heartbeat is not
 * one; of a NodeResourcePlan only the reported demand is), and something a workload's status
 * reads besides the plan changed: its Pod or KubeVirt VM, or the enforcement the node agent
 * reports for it in its node's NodeResourcePlan (its reconciler should look again).
 */
public final class ClusterCache implements AutoCloseable {

    /** Receives changes; called on informer threads, so it must return quickly. */
    public interface Listener {
        void inputChanged();

        /**
         * Something the workload's status reads besides the plan changed: its Pod or KubeVirt VM, or
         * the enforcement its node's agent reports. Not engine input.
         */
        void ownedObjectChanged(WorkloadRef workload);
    }

    private static final Logger log = LoggerFactory.getLogger(ClusterCache.class);
    private static final String OWNER_INDEX = "respool-owner";

    private final KubernetesClient client;
    private final Set<String> namespaces;
    private volatile Listener listener = new Listener() {
        @Override
        public void inputChanged() {
        }

        @Override
        public void ownedObjectChanged(WorkloadRef workload) {
        }
    };

    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private SharedIndexInformer<ResourcePool> pools;
    private final List<SharedIndexInformer<VirtualMachine>> virtualMachines = new ArrayList<>();
    private final List<SharedIndexInformer<Container>> containers = new ArrayList<>();
    private SharedIndexInformer<Node> nodes;
    private SharedIndexInformer<Namespace> namespaceInformer;
    private SharedIndexInformer<Pod> pods;
    private SharedIndexInformer<NodeResourcePlan> plans;
    private SharedIndexInformer<CustomResourceDefinition> kubeVirtCrd;
    private final List<SharedIndexInformer<GenericKubernetesResource>> kubeVirtVms = new ArrayList<>();
    private volatile boolean kubeVirtInstalled;
    private volatile boolean closed;
    /** Per pool and workload UID: 0 for those listed at start-up, then counting up as they arrive. */
    private final Map<String, Long> arrival = new ConcurrentHashMap<>();
    private final AtomicLong arrivals = new AtomicLong();
    /**
     * Per node: for each workload in its plan's spec, the plan generation at which its entry last
     * changed (the first generation seen when this process met it). A report of an older
     * generation describes other targets for that workload.
     */
    private final Map<String, Map<String, Long>> entrySince = new ConcurrentHashMap<>();
    /** Per node: the Enforced verdict last derived for each workload in its plan, to trigger only on change. */
    private final Map<String, Map<WorkloadRef, Enforcement.Verdict>> verdicts = new ConcurrentHashMap<>();
    private volatile boolean synced;

    /**
     * @param namespaces the namespaces whose VirtualMachines and Containers respool governs; empty:
     *                   all. Pods are always watched in every namespace: other pods' requests count on
     *                   every node.
     */
    public ClusterCache(KubernetesClient client, Set<String> namespaces) {
        this.client = client;
        this.namespaces = Set.copyOf(namespaces);
    }

    public void setListener(Listener listener) {
        this.listener = Objects.requireNonNull(listener);
    }

    /** Starts every informer and waits until each has listed its objects once. */
    public void start(Duration timeout) {
        pools = informer(client.resources(ResourcePool.class), ClusterCache::specRelevance, this::arrived);
        for (var op : scoped(() -> client.resources(VirtualMachine.class).inAnyNamespace(),
                ns -> client.resources(VirtualMachine.class).inNamespace(ns))) {
            virtualMachines.add(informer(op, ClusterCache::specRelevance, this::arrived));
        }
        for (var op : scoped(() -> client.resources(Container.class).inAnyNamespace(),
                ns -> client.resources(Container.class).inNamespace(ns))) {
            containers.add(informer(op, ClusterCache::specRelevance, this::arrived));
        }
        nodes = informer(client.nodes(), ClusterCache::nodeRelevance, null);
        namespaceInformer = informer(client.namespaces(), ns -> ns.getMetadata().getLabels(), null);
        pods = client.pods().inAnyNamespace().runnableInformer(0).itemStore(new LeanItemStore<>());
        pods.addIndexers(Map.of(OWNER_INDEX, ClusterCache::ownerIndex));
        pods.addEventHandler(handler(ClusterCache::podRelevance, this::podOwnerChanged));
        informers.add(pods);
        plans = client.resources(NodeResourcePlan.class).runnableInformer(0).itemStore(new LeanItemStore<>());
        plans.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(NodeResourcePlan plan) {
                listener.inputChanged();
                planChanged(null, plan);
            }

            @Override
            public void onUpdate(NodeResourcePlan old, NodeResourcePlan plan) {
                // Only reported demand is engine input; the operator's own spec writes and the
                // agent's applied values, usage and enforcement are not.
                if (!Objects.equals(demandRelevance(old), demandRelevance(plan))) {
                    listener.inputChanged();
                }
                planChanged(old, plan);
            }

            @Override
            public void onDelete(NodeResourcePlan plan, boolean unknownFinalState) {
                planDeleted(plan);
                listener.inputChanged();
            }
        });
        informers.add(plans);
        kubeVirtCrd = client.apiextensions().v1().customResourceDefinitions()
                .withField("metadata.name", KubeVirt.CRD_NAME).runnableInformer(0);
        kubeVirtCrd.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(CustomResourceDefinition crd) {
                kubeVirtCrdChanged();
            }

            @Override
            public void onUpdate(CustomResourceDefinition old, CustomResourceDefinition crd) {
                kubeVirtCrdChanged();
            }

            @Override
            public void onDelete(CustomResourceDefinition crd, boolean unknownFinalState) {
                kubeVirtCrdChanged();
            }
        });
        informers.add(kubeVirtCrd);
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (SharedIndexInformer<?> informer : List.copyOf(informers)) {
            started.add(informer.start().toCompletableFuture());
        }
        try {
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the informer caches did not sync within " + timeout + ": " + e, e);
        }
        synced = true;
        kubeVirtCrdChanged();
    }

    private <T> List<T> scoped(Supplier<T> all, Function<String, T> one) {
        if (namespaces.isEmpty()) {
            return List.of(all.get());
        }
        return namespaces.stream().sorted().map(one).toList();
    }

    private <T extends HasMetadata> SharedIndexInformer<T> informer(Informable<T> source,
                                                                    Function<T, Object> relevance,
                                                                    Consumer<T> owned) {
        SharedIndexInformer<T> informer = source.runnableInformer(0).itemStore(new LeanItemStore<>());
        informer.addEventHandler(handler(relevance, owned));
        informers.add(informer);
        return informer;
    }

    private <T extends HasMetadata> ResourceEventHandler<T> handler(Function<T, Object> relevance, Consumer<T> owned) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                listener.inputChanged();
                if (owned != null) {
                    owned.accept(obj);
                }
            }

            @Override
            public void onUpdate(T old, T obj) {
                if (!Objects.equals(relevance.apply(old), relevance.apply(obj))) {
                    listener.inputChanged();
                }
                if (owned != null) {
                    owned.accept(obj);
                }
            }

            @Override
            public void onDelete(T obj, boolean unknownFinalState) {
                if (owned != null) {
                    owned.accept(obj);
                }
                if (obj.getMetadata().getUid() != null) {
                    arrival.remove(obj.getMetadata().getUid());
                }
                listener.inputChanged();
            }
        };
    }

    /**
     * Records when a pool or workload arrived. creationTimestamp has whole seconds: objects created
     * in the same second are admitted in the order this operator saw them arrive (first come, first
     * served), and those already there at start-up by name.
     */
    private void arrived(HasMetadata o) {
        String uid = o.getMetadata().getUid();
        if (uid == null) {
            return;
        }
        if (o.getMetadata().getDeletionTimestamp() == null && !arrival.containsKey(uid)) {
            arrival.putIfAbsent(uid, synced ? arrivals.incrementAndGet() : 0L);
        }
    }

    // ---- KubeVirt

    private synchronized void kubeVirtCrdChanged() {
        if (closed || kubeVirtCrd == null) {
            return;
        }
        CustomResourceDefinition crd = kubeVirtCrd.getStore().getByKey(KubeVirt.CRD_NAME);
        boolean installed = crd != null && crd.getMetadata().getDeletionTimestamp() == null
                && crd.getStatus() != null && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
        if (installed == kubeVirtInstalled) {
            return;
        }
        if (installed) {
            for (var op : scoped(() -> client.genericKubernetesResources(KubeVirt.VIRTUAL_MACHINES).inAnyNamespace(),
                    ns -> client.genericKubernetesResources(KubeVirt.VIRTUAL_MACHINES).inNamespace(ns))) {
                SharedIndexInformer<GenericKubernetesResource> informer = op.runnableInformer(0)
                        .itemStore(new LeanItemStore<>());
                informer.addEventHandler(handler(o -> null, this::kubeVirtOwnerChanged));
                kubeVirtVms.add(informer);
                // Not waited for: this runs on an informer thread. Reconcilers see the VMs as they arrive.
                informer.start();
            }
            log.info("KubeVirt is installed ({} is established): VirtualMachines get KubeVirt VMs", KubeVirt.CRD_NAME);
        } else {
            kubeVirtVms.forEach(SharedIndexInformer::stop);
            kubeVirtVms.clear();
            log.info("KubeVirt is not installed ({} is absent): VirtualMachines wait for it", KubeVirt.CRD_NAME);
        }
        kubeVirtInstalled = installed;
        listener.inputChanged();
    }

    public boolean kubeVirtInstalled() {
        return kubeVirtInstalled;
    }

    /** The KubeVirt VirtualMachine with this name, if KubeVirt is installed and it exists. */
    public Optional<GenericKubernetesResource> kubeVirtVirtualMachine(String namespace, String name) {
        String key = Cache.namespaceKeyFunc(namespace, name);
        for (SharedIndexInformer<GenericKubernetesResource> informer : List.copyOf(kubeVirtVms)) {
            GenericKubernetesResource vm = informer.getStore().getByKey(key);
            if (vm != null) {
                return Optional.of(vm);
            }
        }
        return Optional.empty();
    }

    // ---- owned objects

    private static List<String> ownerIndex(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        if (labels == null) {
            return List.of();
        }
        String ns = pod.getMetadata().getNamespace();
        List<String> keys = new ArrayList<>(1);
        if (labels.containsKey(Labels.CONTAINER)) {
            keys.add(new WorkloadRef(WorkloadKind.CONTAINER, ns, labels.get(Labels.CONTAINER)).key());
        }
        if (labels.containsKey(Labels.VIRTUAL_MACHINE)) {
            keys.add(new WorkloadRef(WorkloadKind.VIRTUAL_MACHINE, ns, labels.get(Labels.VIRTUAL_MACHINE)).key());
        }
        return keys;
    }

    private void podOwnerChanged(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        if (labels == null) {
            return;
        }
        String ns = pod.getMetadata().getNamespace();
        if (labels.containsKey(Labels.CONTAINER)) {
            listener.ownedObjectChanged(new WorkloadRef(WorkloadKind.CONTAINER, ns, labels.get(Labels.CONTAINER)));
        }
        if (labels.containsKey(Labels.VIRTUAL_MACHINE)) {
            listener.ownedObjectChanged(new WorkloadRef(WorkloadKind.VIRTUAL_MACHINE, ns,
                    labels.get(Labels.VIRTUAL_MACHINE)));
        }
    }

    private void kubeVirtOwnerChanged(GenericKubernetesResource vm) {
        Map<String, String> labels = vm.getMetadata().getLabels();
        if (labels != null && labels.containsKey(Labels.VIRTUAL_MACHINE)) {
            listener.ownedObjectChanged(new WorkloadRef(WorkloadKind.VIRTUAL_MACHINE, vm.getMetadata().getNamespace(),
                    labels.get(Labels.VIRTUAL_MACHINE)));
        }
    }

    /** The pod with this name, if any (a Container's pod has the Container's name). */
    public Optional<Pod> pod(String namespace, String name) {
        return Optional.ofNullable(pods.getStore().getByKey(Cache.namespaceKeyFunc(namespace, name)));
    }

    /** Pods labelled as belonging to the workload (a Container's pod, a VM's virt-launcher pods). */
    public List<Pod> podsOf(WorkloadRef workload) {
        return pods.getIndexer().byIndex(OWNER_INDEX, workload.key());
    }

    public Optional<NodeResourcePlan> nodeResourcePlan(String node) {
        return Optional.ofNullable(plans.getStore().getByKey(node));
    }

    /** The {@code Enforced} verdict of a workload placed on {@code node} (null: not placed). */
    public Enforcement.Verdict enforcement(WorkloadRef workload, String node) {
        if (node == null) {
            return Enforcement.notPlaced();
        }
        NodeResourcePlan plan = plans.getStore().getByKey(node);
        Long since = entrySince.getOrDefault(node, Map.of()).get(workload.key());
        return Enforcement.of(workload, node, plan, since != null ? since : generation(plan));
    }

    /**
     * Follows a node plan: when each workload's entry last changed, and whose Enforced verdict
     * changed (those are reconciled; nothing is planned for it).
     */
    private void planChanged(NodeResourcePlan old, NodeResourcePlan plan) {
        String node = plan.getMetadata().getName();
        long generation = generation(plan);
        Map<String, PlannedWorkload> before = new HashMap<>();
        for (PlannedWorkload w : entries(old)) {
            before.put(key(w), w);
        }
        Map<String, Long> known = old == null ? Map.of() : entrySince.getOrDefault(node, Map.of());
        boolean sameSpec = old != null && generation(old) == generation;
        Map<String, Long> since = new HashMap<>();
        Map<WorkloadRef, Enforcement.Verdict> now = new HashMap<>();
        for (PlannedWorkload w : entries(plan)) {
            String key = key(w);
            Long s = known.get(key);
            PlannedWorkload was = before.get(key);
            // A status-only update keeps every entry; otherwise a new or changed entry starts now.
            if (s == null || (!sameSpec && (was == null || !Statuses.same(was, w)))) {
                s = generation;
            }
            since.put(key, s);
            WorkloadRef ref = ref(w);
            if (ref != null) {
                now.put(ref, Enforcement.of(ref, node, plan, s));
            }
        }
        entrySince.put(node, Map.copyOf(since));
        Map<WorkloadRef, Enforcement.Verdict> previous = verdicts.getOrDefault(node, Map.of());
        verdicts.put(node, Map.copyOf(now));
        now.forEach((ref, verdict) -> {
            if (!verdict.equals(previous.get(ref))) {
                listener.ownedObjectChanged(ref);
            }
        });
        previous.keySet().stream().filter(ref -> !now.containsKey(ref)).forEach(listener::ownedObjectChanged);
    }

    private void planDeleted(NodeResourcePlan plan) {
        String node = plan.getMetadata().getName();
        entrySince.remove(node);
        Map<WorkloadRef, Enforcement.Verdict> previous = verdicts.remove(node);
        if (previous != null) {
            previous.keySet().forEach(listener::ownedObjectChanged);
        }
    }

    private static List<PlannedWorkload> entries(NodeResourcePlan plan) {
        return plan == null || plan.getSpec() == null || plan.getSpec().getWorkloads() == null ? List.of()
                : plan.getSpec().getWorkloads();
    }

    private static String key(PlannedWorkload w) {
        return w.getKind() + "/" + w.getNamespace() + "/" + w.getName();
    }

    private static WorkloadRef ref(PlannedWorkload w) {
        try {
            return new WorkloadRef(WorkloadKind.fromKindName(w.getKind()), w.getNamespace(), w.getName());
        } catch (IllegalArgumentException e) {
            return null; // the CRD's schema allows only the two kinds
        }
    }

    private static long generation(NodeResourcePlan plan) {
        return plan == null || plan.getMetadata().getGeneration() == null ? 0 : plan.getMetadata().getGeneration();
    }

    public Optional<Node> node(String name) {
        return Optional.ofNullable(nodes.getStore().getByKey(name));
    }

    // ---- the engine's input

    /** A consistent-enough copy of everything the engine reads (each list is one informer's store). */
    public ClusterSnapshot snapshot() {
        List<VirtualMachine> vms = new ArrayList<>();
        virtualMachines.forEach(i -> vms.addAll(i.getStore().list()));
        List<Container> cts = new ArrayList<>();
        containers.forEach(i -> cts.addAll(i.getStore().list()));
        Map<String, Map<Dimension, Long>> other = new HashMap<>();
        Map<String, Pod> runningPod = new HashMap<>();
        for (Pod pod : pods.getStore().list()) {
            if (PodRequests.managed(pod)) {
                for (String key : ownerIndex(pod)) {
                    runningPod.merge(key, pod, ClusterCache::preferred);
                }
            } else if (PodRequests.occupiesNode(pod)) {
                Map<Dimension, Long> sum = other.computeIfAbsent(pod.getSpec().getNodeName(),
                        n -> new EnumMap<>(Dimension.class));
                PodRequests.of(pod).forEach((d, v) -> sum.merge(d, v, Long::sum));
            }
        }
        Map<String, String> podUids = new HashMap<>();
        runningPod.forEach((key, pod) -> podUids.put(key, pod.getMetadata().getUid()));
        Map<String, Map<Dimension, Long>> demand = new HashMap<>();
        for (NodeResourcePlan plan : plans.getStore().list()) {
            if (plan.getStatus() == null || plan.getStatus().getWorkloads() == null) {
                continue;
            }
            for (AppliedWorkload w : plan.getStatus().getWorkloads()) {
                if (w.getDemand() == null || w.getKind() == null) {
                    continue;
                }
                Map<Dimension, Long> d = new EnumMap<>(Dimension.class);
                if (w.getDemand().getCpu() != null) {
                    d.put(Dimension.CPU, w.getDemand().getCpu());
                }
                if (w.getDemand().getMemory() != null) {
                    d.put(Dimension.MEMORY, w.getDemand().getMemory());
                }
                if (!d.isEmpty()) {
                    demand.put(w.getKind() + "/" + w.getNamespace() + "/" + w.getName(), d);
                }
            }
        }
        return new ClusterSnapshot(pools.getStore().list(), vms, cts, nodes.getStore().list(),
                namespaceInformer.getStore().list(), other, podUids, demand, Map.copyOf(arrival), kubeVirtInstalled);
    }

    /** Of two pods of one workload (e.g. during a VM migration), the one that runs it: live, then newest. */
    private static Pod preferred(Pod a, Pod b) {
        Comparator<Pod> order = Comparator
                .comparing((Pod p) -> p.getMetadata().getDeletionTimestamp() == null)
                .thenComparing(p -> !"Failed".equals(phase(p)) && !"Succeeded".equals(phase(p)))
                .thenComparing(p -> Objects.requireNonNullElse(p.getMetadata().getCreationTimestamp(), ""))
                .thenComparing(p -> p.getMetadata().getName());
        return order.compare(a, b) >= 0 ? a : b;
    }

    private static String phase(Pod p) {
        return p.getStatus() == null ? null : p.getStatus().getPhase();
    }

    // ---- what counts as a change of the engine's input

    /** Pools and workloads: their spec (generation), demand annotations, deletion, identity. */
    private static Object specRelevance(HasMetadata o) {
        var meta = o.getMetadata();
        Map<String, String> demand = new TreeMap<>();
        if (meta.getAnnotations() != null) {
            meta.getAnnotations().forEach((k, v) -> {
                if (k.startsWith(ClusterTranslator.DEMAND_ANNOTATION_PREFIX)) {
                    demand.put(k, v);
                }
            });
        }
        return List.of(String.valueOf(meta.getUid()), String.valueOf(meta.getGeneration()), demand,
                meta.getDeletionTimestamp() != null);
    }

    private static Object nodeRelevance(Node n) {
        boolean ready = true;
        if (n.getStatus() != null && n.getStatus().getConditions() != null) {
            for (NodeCondition c : n.getStatus().getConditions()) {
                if ("Ready".equals(c.getType())) {
                    ready = "True".equals(c.getStatus());
                }
            }
        }
        return List.of(String.valueOf(n.getMetadata().getLabels()),
                String.valueOf(n.getStatus() == null ? null : n.getStatus().getAllocatable()), ready,
                n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable()));
    }

    private static Object podRelevance(Pod p) {
        boolean managed = PodRequests.managed(p);
        boolean occupies = PodRequests.occupiesNode(p);
        return List.of(String.valueOf(p.getMetadata().getUid()), managed, occupies,
                String.valueOf(p.getSpec() == null ? null : p.getSpec().getNodeName()),
                String.valueOf(managed ? p.getMetadata().getLabels() : PodRequests.of(p)),
                p.getMetadata().getDeletionTimestamp() != null);
    }

    private static Object demandRelevance(NodeResourcePlan plan) {
        if (plan.getStatus() == null || plan.getStatus().getWorkloads() == null) {
            return List.of();
        }
        List<String> demand = new ArrayList<>();
        for (AppliedWorkload w : plan.getStatus().getWorkloads()) {
            if (w.getDemand() != null) {
                demand.add(w.getKind() + "/" + w.getNamespace() + "/" + w.getName() + "="
                        + w.getDemand().getCpu() + "," + w.getDemand().getMemory());
            }
        }
        return demand;
    }

    /** null while every informer runs and watches, else which do not (for /healthz). */
    public String unhealthy() {
        List<String> bad = new ArrayList<>();
        for (SharedIndexInformer<?> informer : List.copyOf(informers)) {
            if (!informer.isRunning() || !informer.isWatching()) {
                bad.add(informer.getApiTypeClass().getSimpleName());
            }
        }
        return bad.isEmpty() ? null : "informers not watching: " + bad;
    }

    @Override
    public synchronized void close() {
        closed = true;
        kubeVirtVms.forEach(SharedIndexInformer::stop);
        informers.forEach(SharedIndexInformer::stop);
    }
}
