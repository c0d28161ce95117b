package io.respool.operator.planning;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.respool.api.Container;
import io.respool.api.ResourcePool;
import io.respool.api.VirtualMachine;
import io.respool.api.translate.ClusterObjects;
import io.respool.api.translate.ClusterTranslator;
import io.respool.api.translate.FieldError;
import io.respool.api.translate.Translation;
import io.respool.engine.ClusterSpec;
import io.respool.engine.Dimension;
import io.respool.engine.Engine;
import io.respool.engine.NodePlan;
import io.respool.engine.Plan;
import io.respool.engine.PoolStatus;
import io.respool.engine.Quantities;
import io.respool.engine.WorkloadDimensionStatus;
import io.respool.engine.WorkloadSpec;
import io.respool.engine.WorkloadStatus;
import io.respool.operator.cluster.ClusterSnapshot;
import io.respool.operator.cluster.WorkloadRef;
import io.respool.operator.owned.KubeVirtVirtualMachine;
import io.respool.operator.planning.PlanResult.NodeView;
import io.respool.operator.planning.PlanResult.PlannedEntry;
import io.respool.operator.planning.PlanResult.PoolView;
import io.respool.operator.planning.PlanResult.Refusal;
import io.respool.operator.planning.PlanResult.Target;
import io.respool.operator.planning.PlanResult.WorkloadView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One engine run: snapshot → the translator {@code respool plan} uses → sticky admissions and
 * reported demand → {@link Engine#compute} → views per pool, workload and node. A pure function of
 * the snapshot and the ledger.
 */
final class PlanBuilder {

    /** Reason of a workload refused because the pool it names is being deleted. */
    static final String POOL_TERMINATING = "PoolTerminating";
    /** Reason of a workload or pool whose spec cannot be read. */
    static final String INVALID_SPEC = "InvalidSpec";

    private final AdmissionLedger ledger;

    PlanBuilder(AdmissionLedger ledger) {
        this.ledger = ledger;
    }

    /**
     * @param nodeProblems receives the translator's problems with Nodes (nobody's status: the
     *                     planner logs them)
     */
    PlanResult build(ClusterSnapshot snapshot, long sequence, List<String> nodeProblems) {
        long start = System.nanoTime();
        List<HasMetadata> resources = new ArrayList<>(snapshot.pools().size() + snapshot.virtualMachines().size()
                + snapshot.containers().size());
        resources.addAll(snapshot.pools());
        resources.addAll(snapshot.virtualMachines());
        resources.addAll(snapshot.containers());
        sortForAdmission(resources, snapshot.arrival());
        Translation translation = ClusterTranslator.translate(new ClusterObjects(resources, snapshot.nodes(),
                snapshot.namespaces(), snapshot.otherRequests()));

        Map<String, List<String>> errors = new HashMap<>();
        for (FieldError e : translation.errors()) {
            String key = e.object().kind() + "/" + (e.object().namespace() == null ? "" : e.object().namespace())
                    + "/" + e.object().name();
            errors.computeIfAbsent(key, k -> new ArrayList<>()).add(e.field() + ": " + e.detail());
            if ("Node".equals(e.object().kind())) {
                nodeProblems.add(e.toString());
            }
        }

        Set<String> deletingPools = snapshot.pools().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() != null)
                .map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
        Map<String, HasMetadata> workloadObjects = new HashMap<>();
        snapshot.virtualMachines().forEach(vm -> workloadObjects.put(WorkloadRef.of(vm).key(), vm));
        snapshot.containers().forEach(c -> workloadObjects.put(WorkloadRef.of(c).key(), c));

        Map<String, Refusal> refusals = new HashMap<>();
        List<WorkloadSpec> workloads = new ArrayList<>(translation.spec().workloads().size());
        for (WorkloadSpec w : translation.spec().workloads()) {
            String key = w.key();
            HasMetadata object = workloadObjects.get(key);
            String uid = object == null ? "" : Objects.requireNonNullElse(object.getMetadata().getUid(), "");
            AdmissionLedger.Decision decision = ledger.decision(key, uid, w.admitted(), w.node());
            if (!decision.admitted() && w.pool() != null && deletingPools.contains(w.pool())) {
                refusals.put(key, new Refusal(POOL_TERMINATING, "pool \"" + w.pool() + "\" is being deleted: "
                        + w.displayName() + " cannot be admitted into it; name another pool"));
                continue;
            }
            Map<Dimension, Long> demand = w.demand();
            Map<Dimension, Long> reported = snapshot.reportedDemand().get(key);
            if (reported != null) {
                demand = new EnumMap<>(Dimension.class);
                demand.putAll(w.demand());
                demand.putAll(reported);
            }
            workloads.add(new WorkloadSpec(w.kind(), w.namespace(), w.name(), w.pool(), w.vcpus(), w.memorySize(),
                    w.allocations(), demand, w.nodeSelector(), w.running(), decision.admitted(), decision.node(),
                    w.order()));
        }
        ClusterSpec input = translation.spec();
        Plan plan = Engine.compute(new ClusterSpec(input.pools(), workloads, input.nodes(), input.namespaceLabels()));

        Map<String, WorkloadStatus> statuses = new HashMap<>(plan.workloads().size() * 2);
        for (WorkloadStatus s : plan.workloads()) {
            String key = s.key();
            statuses.put(key, s);
            HasMetadata object = workloadObjects.get(key);
            if (object != null) {
                ledger.record(key, Objects.requireNonNullElse(object.getMetadata().getUid(), ""), s.admitted(), s.node());
            }
        }
        ledger.retain(workloadObjects.keySet());

        Map<String, WorkloadView> workloadViews = new HashMap<>(workloadObjects.size() * 2);
        for (Map.Entry<String, HasMetadata> e : workloadObjects.entrySet()) {
            HasMetadata object = e.getValue();
            WorkloadRef ref = WorkloadRef.of(object);
            WorkloadStatus status = statuses.get(e.getKey());
            Refusal refusal = null;
            if (status == null) {
                refusal = refusals.get(e.getKey());
                if (refusal == null) {
                    List<String> problems = errors.getOrDefault(e.getKey(), List.of("not in the engine's input"));
                    refusal = new Refusal(INVALID_SPEC, ref + ": " + String.join("; ", problems));
                }
            }
            workloadViews.put(e.getKey(), new WorkloadView(ref, object.getMetadata().getUid(), generation(object),
                    status, refusal, object instanceof VirtualMachine && snapshot.kubeVirtInstalled()));
        }

        Map<String, PoolStatus> poolStatuses = new HashMap<>();
        plan.pools().forEach(p -> poolStatuses.put(p.name(), p));
        Map<String, List<String>> children = new HashMap<>();
        Map<String, List<String>> members = new HashMap<>();
        for (ResourcePool p : snapshot.pools()) {
            String parent = p.getSpec() == null ? null : p.getSpec().getParent();
            if (parent != null && !parent.isEmpty()) {
                children.computeIfAbsent(parent, k -> new ArrayList<>()).add(p.getMetadata().getName());
            }
        }
        for (VirtualMachine vm : snapshot.virtualMachines()) {
            String pool = vm.getSpec() == null ? null : vm.getSpec().getPool();
            if (pool != null && !pool.isEmpty()) {
                members.computeIfAbsent(pool, k -> new ArrayList<>()).add(WorkloadRef.of(vm).toString());
            }
        }
        for (Container c : snapshot.containers()) {
            String pool = c.getSpec() == null ? null : c.getSpec().getPool();
            if (pool != null && !pool.isEmpty()) {
                members.computeIfAbsent(pool, k -> new ArrayList<>()).add(WorkloadRef.of(c).toString());
            }
        }
        Map<String, PoolView> poolViews = new HashMap<>();
        for (ResourcePool p : snapshot.pools()) {
            String name = p.getMetadata().getName();
            poolViews.put(name, new PoolView(name, p.getMetadata().getUid(), generation(p), poolStatuses.get(name),
                    errors.getOrDefault("ResourcePool//" + name, List.of()),
                    p.getMetadata().getDeletionTimestamp() != null,
                    sorted(children.get(name)), sorted(members.get(name))));
        }

        Map<String, String> nodeUids = new HashMap<>();
        for (Node n : snapshot.nodes()) {
            nodeUids.put(n.getMetadata().getName(), n.getMetadata().getUid());
        }
        Map<String, NodeView> nodeViews = new LinkedHashMap<>();
        for (NodePlan n : plan.nodes()) {
            List<PlannedEntry> entries = new ArrayList<>(n.workloads().size());
            for (String key : n.workloads()) {
                WorkloadStatus s = statuses.get(key);
                if (s == null || !s.admitted() || s.node() == null) {
                    continue;
                }
                Map<Dimension, Target> targets = new EnumMap<>(Dimension.class);
                for (Map.Entry<Dimension, WorkloadDimensionStatus> d : s.dimensions().entrySet()) {
                    WorkloadDimensionStatus v = d.getValue();
                    targets.put(d.getKey(), new Target(v.nodeTarget(), v.reservation(),
                            v.cap() == Quantities.UNLIMITED ? null : v.cap(), v.shares()));
                }
                long overhead = workloadObjects.get(key) instanceof VirtualMachine vm
                        ? KubeVirtVirtualMachine.launcherMemoryOverhead(vm, s) : 0;
                entries.add(new PlannedEntry(new WorkloadRef(s.kind(), s.namespace(), s.name()), s.pool(),
                        snapshot.podUids().get(key), targets, overhead));
            }
            nodeViews.put(n.name(), new NodeView(n.name(), nodeUids.get(n.name()), entries));
        }
        return new PlanResult(sequence, Duration.ofNanos(System.nanoTime() - start), snapshot.kubeVirtInstalled(),
                plan, workloadViews, poolViews, nodeViews);
    }

    /**
     * Sorts for admission, first come, first served: creation time, then (within the same second,
     * creationTimestamp's resolution) the order the operator saw them arrive, then pools before
     * workloads and parents before children (the engine's "a pool first on a tie": a workload
     * created with its pool must not be refused for want of the pool's reservation on every run),
     * then {@link ClusterObjects#CREATION_ORDER}'s name and namespace. Objects that were there when
     * the operator started tie on arrival. Each object's keys are read once, not per comparison.
     */
    static void sortForAdmission(List<HasMetadata> resources, Map<String, Long> arrival) {
        Map<String, String> parents = new HashMap<>();
        for (HasMetadata o : resources) {
            if (o instanceof ResourcePool p && p.getSpec() != null && p.getSpec().getParent() != null) {
                parents.put(p.getMetadata().getName(), p.getSpec().getParent());
            }
        }
        AdmissionKey[] keys = new AdmissionKey[resources.size()];
        for (int i = 0; i < keys.length; i++) {
            HasMetadata o = resources.get(i);
            keys[i] = new AdmissionKey(Objects.requireNonNullElse(o.getMetadata().getCreationTimestamp(), ""),
                    arrival.getOrDefault(Objects.requireNonNullElse(o.getMetadata().getUid(), ""), Long.MAX_VALUE),
                    o instanceof ResourcePool ? depth(o.getMetadata().getName(), parents) : Integer.MAX_VALUE, o);
        }
        Arrays.sort(keys, AdmissionKey.ORDER);
        for (int i = 0; i < keys.length; i++) {
            resources.set(i, keys[i].object());
        }
    }

    /** How many ancestors pool {@code name} names (a cycle counts as deep as the pools in it). */
    private static int depth(String name, Map<String, String> parents) {
        int depth = 0;
        for (String p = parents.get(name); p != null && !p.isEmpty() && depth < parents.size(); p = parents.get(p)) {
            depth++;
        }
        return depth;
    }

    /** @param rank a pool's depth; workloads after every pool */
    private record AdmissionKey(String created, long arrived, int rank, HasMetadata object) {
        static final Comparator<AdmissionKey> ORDER = Comparator.comparing(AdmissionKey::created)
                .thenComparingLong(AdmissionKey::arrived)
                .thenComparingInt(AdmissionKey::rank)
                .thenComparing(AdmissionKey::object, ClusterObjects.CREATION_ORDER);
    }

    private static long generation(HasMetadata o) {
        return o.getMetadata().getGeneration() == null ? 0 : o.getMetadata().getGeneration();
    }

    private static List<String> sorted(List<String> names) {
        if (names == null) {
            return List.of();
        }
        List<String> copy = new ArrayList<>(new HashSet<>(names));
        copy.sort(null);
        return copy;
    }
}
