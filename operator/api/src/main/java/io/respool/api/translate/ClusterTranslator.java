package io.respool.api.translate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import io.respool.api.Container;
import io.respool.api.ContainerSpec;
import io.respool.api.PoolDisk;
import io.respool.api.PoolNetwork;
import io.respool.api.ResourcePool;
import io.respool.api.ResourcePoolSpec;
import io.respool.api.RunStrategy;
import io.respool.api.VirtualMachine;
import io.respool.api.VirtualMachineSpec;
import io.respool.api.WorkloadDisk;
import io.respool.api.WorkloadNetwork;
import io.respool.api.WorkloadStatusFields;
import io.respool.engine.Allocation;
import io.respool.engine.ClusterSpec;
import io.respool.engine.Dimension;
import io.respool.engine.LabelSelector;
import io.respool.engine.NodeSpec;
import io.respool.engine.PoolSpec;
import io.respool.engine.WorkloadKind;
import io.respool.engine.WorkloadSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns respool custom resources, Nodes and Namespaces into the engine's {@link ClusterSpec}. The
 * one translation both {@code respool plan} and the operator use, so they agree number for number.
 *
 * <p>Rules: quantities are parsed per dimension; a VM's vCPUs and memory size become its size (the
 * engine applies the VM limit defaults); node capacity comes from {@code status.allocatable}
 * ({@code cpu}, {@code memory} and the {@code respool.io/...} extended resources, absent = not
 * bounded); a node without a Ready condition counts as ready; demand comes from the annotations
 * {@code respool.io/demand-<dimension>}; runStrategy Halted means not running; a workload whose
 * status says Admitted keeps its admission and node.
 */
public final class ClusterTranslator {

    /** Prefix of the demand annotations, followed by a dimension's JSON name ("cpu", "diskIOPS"). */
    public static final String DEMAND_ANNOTATION_PREFIX = "respool.io/demand-";

    /** Node allocatable keys per dimension. */
    public static final Map<String, Dimension> NODE_ALLOCATABLE_KEYS = nodeKeys();

    /** Namespace of namespaced objects that do not name one (as kubectl does). */
    public static final String DEFAULT_NAMESPACE = "default";

    private static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private final List<FieldError> errors = new ArrayList<>();
    private final List<FieldError> warnings = new ArrayList<>();

    private ClusterTranslator() {
    }

    public static Translation translate(ClusterObjects objects) {
        return new ClusterTranslator().run(objects);
    }

    private Translation run(ClusterObjects objects) {
        List<PoolSpec> pools = new ArrayList<>();
        List<WorkloadSpec> workloads = new ArrayList<>();
        Set<ObjectRef> seen = new HashSet<>();
        long order = 0;
        for (HasMetadata object : objects.resources()) {
            long position = order++;
            FieldReader r = new FieldReader(refOf(object));
            if (!checkIdentity(object, r, seen)) {
                errors.addAll(r.errors());
                continue;
            }
            switch (object) {
                case ResourcePool p -> {
                    PoolSpec spec = pool(p, position, r);
                    if (r.ok()) {
                        pools.add(spec);
                    }
                }
                case VirtualMachine vm -> {
                    WorkloadSpec spec = virtualMachine(vm, position, r);
                    if (r.ok()) {
                        workloads.add(spec);
                    }
                }
                case Container c -> {
                    WorkloadSpec spec = container(c, position, r);
                    if (r.ok()) {
                        workloads.add(spec);
                    }
                }
                default -> r.error("kind", object.getKind(),
                        "\"" + object.getKind() + "\" is not a respool kind: use ResourcePool, VirtualMachine or Container");
            }
            errors.addAll(r.errors());
        }
        List<NodeSpec> nodes = new ArrayList<>();
        Set<ObjectRef> seenNodes = new HashSet<>();
        for (Node node : objects.nodes()) {
            FieldReader r = new FieldReader(refOf(node));
            if (checkIdentity(node, r, seenNodes)) {
                NodeSpec spec = node(node, objects.otherRequests(), r);
                if (r.ok()) {
                    nodes.add(spec);
                }
            }
            errors.addAll(r.errors());
        }
        Map<String, Map<String, String>> namespaceLabels = new LinkedHashMap<>();
        for (Namespace ns : objects.namespaces()) {
            String name = ns.getMetadata() == null ? null : ns.getMetadata().getName();
            if (name == null || name.isEmpty()) {
                errors.add(new FieldError(refOf(ns), "metadata.name", null, "is missing: every object needs a name"));
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (ns.getMetadata().getLabels() != null) {
                labels.putAll(ns.getMetadata().getLabels());
            }
            labels.put(NAMESPACE_NAME_LABEL, name);
            namespaceLabels.put(name, labels);
        }
        return new Translation(new ClusterSpec(pools, workloads, nodes, namespaceLabels), errors, warnings);
    }

    private static ObjectRef refOf(HasMetadata object) {
        ObjectRef ref = ObjectRef.of(object);
        if (ref.namespace() == null && (object instanceof VirtualMachine || object instanceof Container)) {
            return new ObjectRef(ref.kind(), DEFAULT_NAMESPACE, ref.name());
        }
        return ref;
    }

    private static boolean checkIdentity(HasMetadata object, FieldReader r, Set<ObjectRef> seen) {
        ObjectMeta meta = object.getMetadata();
        if (meta == null || meta.getName() == null || meta.getName().isEmpty()) {
            r.error("metadata.name", null, "is missing: every object needs a name");
            return false;
        }
        if (!seen.add(r.object())) {
            r.error("metadata.name", meta.getName(), "is used twice: another " + object.getKind()
                    + " has the same name" + (r.object().namespace() == null ? "" : " in the same namespace"));
            return false;
        }
        return true;
    }

    // ---- pools

    private PoolSpec pool(ResourcePool pool, long order, FieldReader r) {
        ResourcePoolSpec spec = pool.getSpec() == null ? new ResourcePoolSpec() : pool.getSpec();
        Map<Dimension, Allocation> allocations = new EnumMap<>(Dimension.class);
        put(allocations, Dimension.CPU, r.allocation(Dimension.CPU, spec.getCpu(), "spec.cpu"));
        put(allocations, Dimension.MEMORY, r.allocation(Dimension.MEMORY, spec.getMemory(), "spec.memory"));
        PoolDisk disk = spec.getDisk();
        if (disk != null) {
            put(allocations, Dimension.DISK_IOPS, r.allocation(Dimension.DISK_IOPS, disk.getIops(), "spec.disk.iops"));
            put(allocations, Dimension.DISK_BANDWIDTH,
                    r.allocation(Dimension.DISK_BANDWIDTH, disk.getBandwidth(), "spec.disk.bandwidth"));
        }
        PoolNetwork network = spec.getNetwork();
        if (network != null) {
            put(allocations, Dimension.NETWORK_EGRESS,
                    r.allocation(Dimension.NETWORK_EGRESS, network.getEgress(), "spec.network.egress"));
            put(allocations, Dimension.NETWORK_INGRESS,
                    r.allocation(Dimension.NETWORK_INGRESS, network.getIngress(), "spec.network.ingress"));
        }
        String parent = spec.getParent() == null || spec.getParent().isEmpty() ? null : spec.getParent();
        return new PoolSpec(pool.getMetadata().getName(), parent, allocations,
                Boolean.TRUE.equals(spec.getScalableShares()), spec.getNodeSelector(),
                labelSelector(spec.getNamespaceSelector(), "spec.namespaceSelector", r), order);
    }

    private static LabelSelector labelSelector(io.fabric8.kubernetes.api.model.LabelSelector selector,
                                               String path, FieldReader r) {
        if (selector == null) {
            return null;
        }
        List<LabelSelector.Requirement> requirements = new ArrayList<>();
        List<LabelSelectorRequirement> expressions =
                selector.getMatchExpressions() == null ? List.of() : selector.getMatchExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            LabelSelectorRequirement e = expressions.get(i);
            String at = path + ".matchExpressions[" + i + "]";
            if (e.getKey() == null || e.getKey().isEmpty()) {
                r.error(at + ".key", null, "is missing: name the label to test");
                continue;
            }
            LabelSelector.Operator operator = operator(e.getOperator());
            if (operator == null) {
                r.error(at + ".operator", e.getOperator(), "\"" + e.getOperator()
                        + "\" is not an operator: use In, NotIn, Exists or DoesNotExist");
                continue;
            }
            requirements.add(new LabelSelector.Requirement(e.getKey(), operator, e.getValues()));
        }
        return new LabelSelector(selector.getMatchLabels(), requirements);
    }

    private static LabelSelector.Operator operator(String text) {
        if (text == null) {
            return null;
        }
        return switch (text) {
            case "In" -> LabelSelector.Operator.IN;
            case "NotIn" -> LabelSelector.Operator.NOT_IN;
            case "Exists" -> LabelSelector.Operator.EXISTS;
            case "DoesNotExist" -> LabelSelector.Operator.DOES_NOT_EXIST;
            default -> null;
        };
    }

    // ---- workloads

    private WorkloadSpec virtualMachine(VirtualMachine vm, long order, FieldReader r) {
        VirtualMachineSpec spec = vm.getSpec() == null ? new VirtualMachineSpec() : vm.getSpec();
        Map<Dimension, Allocation> allocations = new EnumMap<>(Dimension.class);
        int vcpus = 0;
        if (spec.getCpu() == null || spec.getCpu().getVcpus() == null) {
            r.error("spec.cpu.vcpus", null, "is missing: give the number of virtual CPUs, an integer of 1 or more");
        } else if (spec.getCpu().getVcpus() < 1) {
            r.error("spec.cpu.vcpus", spec.getCpu().getVcpus().toString(),
                    spec.getCpu().getVcpus() + " is too small: use an integer of 1 or more");
        } else {
            vcpus = spec.getCpu().getVcpus();
        }
        long memorySize = 0;
        if (spec.getMemory() == null || spec.getMemory().getSize() == null) {
            r.error("spec.memory.size", null, "is missing: give the guest memory size, e.g. \"4Gi\"");
        } else {
            long size = r.quantity(Dimension.MEMORY, spec.getMemory().getSize(), "spec.memory.size", -1);
            if (size == 0) {
                r.error("spec.memory.size", FieldReader.text(spec.getMemory().getSize()),
                        "\"" + FieldReader.text(spec.getMemory().getSize()) + "\" is 0: a VM needs memory, e.g. \"4Gi\"");
            } else if (size > 0) {
                memorySize = size;
            }
        }
        put(allocations, Dimension.CPU, r.allocation(Dimension.CPU, spec.getCpu(), "spec.cpu"));
        put(allocations, Dimension.MEMORY, r.allocation(Dimension.MEMORY, spec.getMemory(), "spec.memory"));
        diskAndNetwork(spec.getDisk(), spec.getNetwork(), allocations, r);
        return workload(WorkloadKind.VIRTUAL_MACHINE, vm, spec.getPool(), vcpus, memorySize, allocations,
                spec.getNodeSelector(), spec.getRunStrategy(), vm.getStatus(), order, r);
    }

    private WorkloadSpec container(Container c, long order, FieldReader r) {
        ContainerSpec spec = c.getSpec() == null ? new ContainerSpec() : c.getSpec();
        Map<Dimension, Allocation> allocations = new EnumMap<>(Dimension.class);
        put(allocations, Dimension.CPU, r.allocation(Dimension.CPU, spec.getCpu(), "spec.cpu"));
        put(allocations, Dimension.MEMORY, r.allocation(Dimension.MEMORY, spec.getMemory(), "spec.memory"));
        diskAndNetwork(spec.getDisk(), spec.getNetwork(), allocations, r);
        if (spec.getStorage() != null) {
            r.quantity(Dimension.MEMORY, spec.getStorage().getSize(), "spec.storage.size", 0);
        }
        return workload(WorkloadKind.CONTAINER, c, spec.getPool(), 0, 0, allocations, spec.getNodeSelector(),
                spec.getRunStrategy(), c.getStatus(), order, r);
    }

    private static void diskAndNetwork(WorkloadDisk disk, WorkloadNetwork network,
                                       Map<Dimension, Allocation> allocations, FieldReader r) {
        if (disk != null) {
            put(allocations, Dimension.DISK_IOPS, r.allocation(Dimension.DISK_IOPS, disk.getIops(), "spec.disk.iops"));
            put(allocations, Dimension.DISK_BANDWIDTH,
                    r.allocation(Dimension.DISK_BANDWIDTH, disk.getBandwidth(), "spec.disk.bandwidth"));
        }
        if (network != null) {
            put(allocations, Dimension.NETWORK_EGRESS,
                    r.allocation(Dimension.NETWORK_EGRESS, network.getEgress(), "spec.network.egress"));
            put(allocations, Dimension.NETWORK_INGRESS,
                    r.allocation(Dimension.NETWORK_INGRESS, network.getIngress(), "spec.network.ingress"));
        }
    }

    private WorkloadSpec workload(WorkloadKind kind, HasMetadata object, String pool, int vcpus, long memorySize,
                                  Map<Dimension, Allocation> allocations, Map<String, String> nodeSelector,
                                  RunStrategy runStrategy, WorkloadStatusFields status, long order,
                                  FieldReader r) {
        Map<Dimension, Long> demand = demand(object.getMetadata(), r);
        boolean admitted = status != null && status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> WorkloadStatusFields.ADMITTED.equals(c.getType()) && "True".equals(c.getStatus()));
        String node = status == null || status.getNode() == null || status.getNode().isEmpty() ? null : status.getNode();
        return new WorkloadSpec(kind, r.object().namespace(), object.getMetadata().getName(),
                pool == null || pool.isEmpty() ? null : pool, vcpus, memorySize, allocations, demand, nodeSelector,
                runStrategy == null || runStrategy.running(), admitted, node, order);
    }

    private static Map<Dimension, Long> demand(ObjectMeta meta, FieldReader r) {
        Map<Dimension, Long> demand = new EnumMap<>(Dimension.class);
        if (meta.getAnnotations() == null) {
            return demand;
        }
        for (Map.Entry<String, String> a : meta.getAnnotations().entrySet()) {
            if (!a.getKey().startsWith(DEMAND_ANNOTATION_PREFIX)) {
                continue;
            }
            String field = FieldReader.key("metadata.annotations", a.getKey());
            String name = a.getKey().substring(DEMAND_ANNOTATION_PREFIX.length());
            Dimension dimension = Arrays.stream(Dimension.values())
                    .filter(d -> d.jsonName().equals(name)).findFirst().orElse(null);
            if (dimension == null) {
                r.error(field, a.getValue(), "\"" + name + "\" is not a dimension: use " + DEMAND_ANNOTATION_PREFIX
                        + "<dimension> with one of " + Arrays.stream(Dimension.values())
                        .map(Dimension::jsonName).collect(Collectors.joining(", ")));
                continue;
            }
            long value = r.quantity(dimension, a.getValue() == null ? "" : a.getValue(), field, -1);
            if (value >= 0) {
                demand.put(dimension, value);
            }
        }
        return demand;
    }

    // ---- nodes

    private NodeSpec node(Node node, Map<String, Map<Dimension, Long>> otherRequests, FieldReader r) {
        String name = node.getMetadata().getName();
        Map<String, Quantity> allocatable = node.getStatus() == null || node.getStatus().getAllocatable() == null
                ? Map.of() : node.getStatus().getAllocatable();
        Map<Dimension, Long> capacity = new EnumMap<>(Dimension.class);
        for (Map.Entry<String, Dimension> key : NODE_ALLOCATABLE_KEYS.entrySet()) {
            Quantity q = allocatable.get(key.getKey());
            if (q == null) {
                continue;
            }
            long value = r.quantity(key.getValue(), q, FieldReader.key("status.allocatable", key.getKey()), -1);
            if (value >= 0) {
                capacity.put(key.getValue(), value);
            }
        }
        for (String key : List.of("cpu", "memory")) {
            if (!allocatable.containsKey(key)) {
                warnings.add(new FieldError(r.object(), "status.allocatable." + key, null,
                        "is missing: the node's " + key + " is treated as unbounded"));
            }
        }
        boolean ready = true;
        if (node.getStatus() != null && node.getStatus().getConditions() != null) {
            for (NodeCondition c : node.getStatus().getConditions()) {
                if ("Ready".equals(c.getType())) {
                    ready = "True".equals(c.getStatus());
                }
            }
        }
        boolean schedulable = node.getSpec() == null || !Boolean.TRUE.equals(node.getSpec().getUnschedulable());
        return new NodeSpec(name, node.getMetadata().getLabels(), ready, schedulable, capacity,
                otherRequests.get(name));
    }

    private static Map<String, Dimension> nodeKeys() {
        Map<String, Dimension> keys = new LinkedHashMap<>();
        keys.put("cpu", Dimension.CPU);
        keys.put("memory", Dimension.MEMORY);
        keys.put("respool.io/disk-iops", Dimension.DISK_IOPS);
        keys.put("respool.io/disk-bandwidth", Dimension.DISK_BANDWIDTH);
        keys.put("respool.io/network-egress", Dimension.NETWORK_EGRESS);
        keys.put("respool.io/network-ingress", Dimension.NETWORK_INGRESS);
        return Collections.unmodifiableMap(keys);
    }

    private static void put(Map<Dimension, Allocation> allocations, Dimension d, Allocation a) {
        if (a != null) {
            allocations.put(d, a);
        }
    }
}
