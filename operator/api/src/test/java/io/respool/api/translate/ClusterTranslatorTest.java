package io.respool.api.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.respool.api.Container;
import io.respool.api.ResourcePool;
import io.respool.api.VirtualMachine;
import io.respool.engine.Allocation;
import io.respool.engine.ClusterSpec;
import io.respool.engine.Dimension;
import io.respool.engine.LabelSelector;
import io.respool.engine.NodeSpec;
import io.respool.engine.PoolSpec;
import io.respool.engine.Quantities;
import io.respool.engine.Shares;
import io.respool.engine.WorkloadKind;
import io.respool.engine.WorkloadSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterTranslatorTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final long GI = 1L << 30;
    private static final long MI = 1L << 20;

    /** Reads multi-document YAML into the translator's input, documents in order. */
    private static ClusterObjects objects(String yaml) throws Exception {
        List<HasMetadata> resources = new ArrayList<>();
        List<Node> nodes = new ArrayList<>();
        List<Namespace> namespaces = new ArrayList<>();
        for (JsonNode doc : YAML.readValues(YAML.createParser(yaml), JsonNode.class).readAll()) {
            switch (doc.path("kind").asText()) {
                case "ResourcePool" -> resources.add(YAML.treeToValue(doc, ResourcePool.class));
                case "VirtualMachine" -> resources.add(YAML.treeToValue(doc, VirtualMachine.class));
                case "Container" -> resources.add(YAML.treeToValue(doc, Container.class));
                case "Node" -> nodes.add(YAML.treeToValue(doc, Node.class));
                case "Namespace" -> namespaces.add(YAML.treeToValue(doc, Namespace.class));
                default -> throw new IllegalArgumentException(doc.toString());
            }
        }
        return ClusterObjects.of(resources, nodes, namespaces);
    }

    private static Translation translate(String yaml) throws Exception {
        return ClusterTranslator.translate(objects(yaml));
    }

    private static ClusterSpec ok(String yaml) throws Exception {
        Translation t = translate(yaml);
        assertThat(t.errors()).isEmpty();
        return t.spec();
    }

    @Test
    void poolQuantitiesAreParsedPerDimension() throws Exception {
        PoolSpec pool = ok("""
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: prod}
                spec:
                  parent: company
                  cpu: {reservation: "2", limit: 3500m, shares: high, expandableReservation: false}
                  memory: {reservation: 4Gi, limit: 8Gi, shares: 2000}
                  disk:
                    iops: {reservation: "2000", shares: "300"}
                    bandwidth: {limit: 200Mi}
                  network:
                    egress: {limit: 100M}
                    ingress: {reservation: 1G}
                  scalableShares: true
                  nodeSelector: {zone: a}
                """).pools().getFirst();

        assertThat(pool.name()).isEqualTo("prod");
        assertThat(pool.parent()).isEqualTo("company");
        assertThat(pool.scalableShares()).isTrue();
        assertThat(pool.nodeSelector()).containsEntry("zone", "a");
        assertThat(pool.allocation(Dimension.CPU)).isEqualTo(new Allocation(2000, 3500, Shares.HIGH, false));
        assertThat(pool.allocation(Dimension.MEMORY))
                .isEqualTo(new Allocation(4 * GI, 8 * GI, Shares.custom(2000), true));
        assertThat(pool.allocation(Dimension.DISK_IOPS))
                .isEqualTo(new Allocation(2000, Quantities.UNLIMITED, Shares.custom(300), true));
        assertThat(pool.allocation(Dimension.DISK_BANDWIDTH).limit()).isEqualTo(200 * MI);
        assertThat(pool.allocation(Dimension.NETWORK_EGRESS).limit()).isEqualTo(100_000_000L);
        assertThat(pool.allocation(Dimension.NETWORK_INGRESS).reservation()).isEqualTo(1_000_000_000L);
    }

    @Test
    void absentFieldsTakeTheDefaults() throws Exception {
        ClusterSpec spec = ok("""
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: plain}
                spec:
                  cpu: {reservation: 500m}
                ---
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: empty}
                """);
        PoolSpec plain = spec.pools().get(0);
        assertThat(plain.parent()).isNull();
        assertThat(plain.scalableShares()).isFalse();
        assertThat(plain.namespaceSelector()).isEqualTo(LabelSelector.EVERYTHING);
        assertThat(plain.allocation(Dimension.CPU))
                .isEqualTo(new Allocation(500, Quantities.UNLIMITED, Shares.NORMAL, true));
        assertThat(plain.allocations()).containsOnlyKeys(Dimension.CPU);
        assertThat(spec.pools().get(1).allocations()).isEmpty();
    }

    @Test
    void virtualMachineSizesGoToVcpusAndMemorySizeAndLimitsStayUnlimited() throws Exception {
        WorkloadSpec vm = ok("""
                apiVersion: respool.io/v1alpha1
                kind: VirtualMachine
                metadata: {name: db, namespace: payments}
                spec:
                  pool: prod
                  os: windows
                  cpu: {vcpus: 4, reservation: "2", shares: high}
                  memory: {size: 8Gi, reservation: 8Gi}
                  disks: [{name: root, image: example/fedora:41}]
                  nodeSelector: {gpu: "no"}
                """).workloads().getFirst();

        assertThat(vm.kind()).isEqualTo(WorkloadKind.VIRTUAL_MACHINE);
        assertThat(vm.namespace()).isEqualTo("payments");
        assertThat(vm.pool()).isEqualTo("prod");
        assertThat(vm.vcpus()).isEqualTo(4);
        assertThat(vm.memorySize()).isEqualTo(8 * GI);
        assertThat(vm.allocation(Dimension.CPU))
                .isEqualTo(new Allocation(2000, Quantities.UNLIMITED, Shares.HIGH, true));
        assertThat(vm.allocation(Dimension.MEMORY).limit()).isEqualTo(Quantities.UNLIMITED);
        assertThat(vm.allocation(Dimension.MEMORY).reservation()).isEqualTo(8 * GI);
        assertThat(vm.nodeSelector()).containsEntry("gpu", "no");
        assertThat(vm.running()).isTrue();
        assertThat(vm.admitted()).isFalse();
        assertThat(vm.node()).isNull();
    }

    @Test
    void haltedWorkloadsAreNotRunningAndNamespaceDefaults() throws Exception {
        ClusterSpec spec = ok("""
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata: {name: off}
                spec: {image: nginx, runStrategy: Halted}
                ---
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata: {name: on}
                spec: {image: nginx, runStrategy: Manual}
                """);
        assertThat(spec.workloads()).extracting(WorkloadSpec::running).containsExactly(false, true);
        assertThat(spec.workloads()).extracting(WorkloadSpec::namespace).containsOnly("default");
        assertThat(spec.workloads()).extracting(WorkloadSpec::pool).containsOnly((String) null);
    }

    @Test
    void orderIsThePositionAcrossPoolsAndWorkloads() throws Exception {
        ClusterSpec spec = ok("""
                {apiVersion: respool.io/v1alpha1, kind: Container, metadata: {name: a}, spec: {image: x}}
                ---
                {apiVersion: respool.io/v1alpha1, kind: ResourcePool, metadata: {name: p}}
                ---
                {apiVersion: respool.io/v1alpha1, kind: VirtualMachine, metadata: {name: b},
                 spec: {cpu: {vcpus: 1}, memory: {size: 1Gi}}}
                """);
        assertThat(spec.workloads()).extracting(WorkloadSpec::name, WorkloadSpec::order)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 0L), org.assertj.core.groups.Tuple.tuple("b", 2L));
        assertThat(spec.pools().getFirst().order()).isEqualTo(1);
    }

    @Test
    void containerAllocationsAndDemandAnnotations() throws Exception {
        WorkloadSpec c = ok("""
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata:
                  name: web
                  namespace: shop
                  annotations:
                    respool.io/demand-cpu: 300m
                    respool.io/demand-networkEgress: 20M
                    unrelated.example/annotation: whatever
                spec:
                  image: nginx:1.27
                  cpu: {reservation: 500m, limit: "2"}
                  memory: {reservation: 256Mi, limit: 1Gi, shares: low}
                  storage: {size: 10Gi, persistent: true}
                  network: {egress: {limit: 100M}}
                """).workloads().getFirst();
        assertThat(c.kind()).isEqualTo(WorkloadKind.CONTAINER);
        assertThat(c.vcpus()).isZero();
        assertThat(c.allocation(Dimension.CPU)).isEqualTo(new Allocation(500, 2000, Shares.NORMAL, true));
        assertThat(c.allocation(Dimension.MEMORY)).isEqualTo(new Allocation(256 * MI, GI, Shares.LOW, true));
        assertThat(c.allocations()).containsOnlyKeys(Dimension.CPU, Dimension.MEMORY, Dimension.NETWORK_EGRESS);
        assertThat(c.demand()).containsExactlyInAnyOrderEntriesOf(
                Map.of(Dimension.CPU, 300L, Dimension.NETWORK_EGRESS, 20_000_000L));
    }

    @Test
    void previousAdmissionIsReadFromStatus() throws Exception {
        WorkloadSpec c = ok("""
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata: {name: web}
                spec: {image: nginx}
                status:
                  node: n1
                  conditions: [{type: Admitted, status: "True", reason: Admitted}]
                """).workloads().getFirst();
        assertThat(c.admitted()).isTrue();
        assertThat(c.node()).isEqualTo("n1");
    }

    @Test
    void nodesCapacityReadinessAndSchedulability() throws Exception {
        ClusterSpec spec = ok("""
                apiVersion: v1
                kind: Node
                metadata: {name: n1, labels: {kubevirt.io/schedulable: "true"}}
                status:
                  allocatable:
                    cpu: "4"
                    memory: 16Gi
                    pods: "110"
                    respool.io/disk-iops: "5000"
                    respool.io/network-egress: 10G
                ---
                apiVersion: v1
                kind: Node
                metadata: {name: n2}
                spec: {unschedulable: true}
                status:
                  allocatable: {cpu: 3500m, memory: 8Gi}
                  conditions: [{type: Ready, status: "False"}, {type: DiskPressure, status: "False"}]
                """);
        NodeSpec n1 = spec.nodes().get(0);
        assertThat(n1.kubevirt()).isTrue();
        assertThat(n1.ready()).isTrue();
        assertThat(n1.schedulable()).isTrue();
        assertThat(n1.allocatable()).containsExactlyInAnyOrderEntriesOf(Map.of(
                Dimension.CPU, 4000L, Dimension.MEMORY, 16 * GI,
                Dimension.DISK_IOPS, 5000L, Dimension.NETWORK_EGRESS, 10_000_000_000L));
        NodeSpec n2 = spec.nodes().get(1);
        assertThat(n2.ready()).isFalse();
        assertThat(n2.schedulable()).isFalse();
        assertThat(n2.allocatable()).containsOnlyKeys(Dimension.CPU, Dimension.MEMORY);
    }

    @Test
    void otherPodsRequestsArePassedPerNode() throws Exception {
        ClusterObjects o = objects("""
                {apiVersion: v1, kind: Node, metadata: {name: n1}, status: {allocatable: {cpu: "4", memory: 4Gi}}}
                """);
        ClusterObjects withRequests = new ClusterObjects(o.resources(), o.nodes(), o.namespaces(),
                Map.of("n1", Map.of(Dimension.CPU, 1500L)));
        NodeSpec n1 = ClusterTranslator.translate(withRequests).spec().nodes().getFirst();
        assertThat(n1.free(Dimension.CPU)).isEqualTo(2500);
    }

    @Test
    void nodeWithoutCapacityIsAWarningNotAnError() throws Exception {
        Translation t = translate("{apiVersion: v1, kind: Node, metadata: {name: bare}}");
        assertThat(t.errors()).isEmpty();
        assertThat(t.spec().nodes()).hasSize(1);
        assertThat(t.warnings()).extracting(FieldError::toString).containsExactly(
                "Node \"bare\": status.allocatable.cpu: is missing: the node's cpu is treated as unbounded",
                "Node \"bare\": status.allocatable.memory: is missing: the node's memory is treated as unbounded");
    }

    @Test
    void namespaceLabelsIncludeTheNameLabel() throws Exception {
        ClusterSpec spec = ok("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: payments, labels: {team: pay}}
                ---
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: pay}
                spec:
                  namespaceSelector:
                    matchLabels: {team: pay}
                    matchExpressions: [{key: tier, operator: NotIn, values: [test]}]
                """);
        assertThat(spec.namespaceLabels().get("payments"))
                .containsEntry("team", "pay").containsEntry("kubernetes.io/metadata.name", "payments");
        LabelSelector selector = spec.pools().getFirst().namespaceSelector();
        assertThat(selector.matchLabels()).containsEntry("team", "pay");
        assertThat(selector.matchExpressions()).containsExactly(
                new LabelSelector.Requirement("tier", LabelSelector.Operator.NOT_IN, List.of("test")));
        assertThat(selector.matches(spec.namespaceLabels().get("payments"))).isTrue();
    }

    // ---- errors: each names the object, the field path, the value and what is accepted

    @Test
    void badQuantityNamesObjectFieldValueAndWhatIsAccepted() throws Exception {
        Translation t = translate("""
                apiVersion: respool.io/v1alpha1
                kind: VirtualMachine
                metadata: {name: db, namespace: payments}
                spec:
                  cpu: {vcpus: 2, reservation: two}
                  memory: {size: 4Gi}
                """);
        assertThat(t.spec().workloads()).isEmpty();
        assertThat(t.errors()).singleElement().satisfies(e -> {
            assertThat(e.object()).isEqualTo(new ObjectRef("VirtualMachine", "payments", "db"));
            assertThat(e.field()).isEqualTo("spec.cpu.reservation");
            assertThat(e.value()).isEqualTo("two");
            assertThat(e.toString())
                    .startsWith("VirtualMachine \"payments/db\": spec.cpu.reservation: \"two\" is not a quantity")
                    .contains("\"500m\"", "\"4Gi\"");
        });
    }

    @Test
    void negativeQuantityIsRefused() throws Exception {
        Translation t = translate("""
                {apiVersion: respool.io/v1alpha1, kind: ResourcePool, metadata: {name: p},
                 spec: {memory: {limit: -1Gi}}}
                """);
        assertThat(t.errors()).extracting(FieldError::toString).containsExactly(
                "ResourcePool \"p\": spec.memory.limit: \"-1Gi\" is negative: use a quantity of 0 or more");
        assertThat(t.spec().pools()).isEmpty();
    }

    @Test
    void badSharesNameTheAcceptedValues() throws Exception {
        Translation t = translate("""
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: p}
                spec:
                  cpu: {shares: urgent}
                  memory: {shares: 0}
                  disk: {iops: {shares: 2000000}}
                """);
        assertThat(t.errors()).extracting(FieldError::field)
                .containsExactly("spec.cpu.shares", "spec.memory.shares", "spec.disk.iops.shares");
        assertThat(t.errors()).extracting(FieldError::value).containsExactly("urgent", "0", "2000000");
        assertThat(t.errors()).allSatisfy(e ->
                assertThat(e.toString()).startsWith("ResourcePool \"p\": spec.").contains("low, normal, high")
                        .contains("1000000"));
    }

    @Test
    void unknownDemandDimensionAndBadDemandQuantity() throws Exception {
        Translation t = translate("""
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata:
                  name: web
                  namespace: shop
                  annotations: {respool.io/demand-gpu: "1", respool.io/demand-memory: lots}
                spec: {image: nginx}
                """);
        assertThat(t.errors()).extracting(FieldError::toString).containsExactlyInAnyOrder(
                "Container \"shop/web\": metadata.annotations[\"respool.io/demand-gpu\"]: \"gpu\" is not a"
                        + " dimension: use respool.io/demand-<dimension> with one of cpu, memory, diskIOPS,"
                        + " diskBandwidth, networkEgress, networkIngress",
                "Container \"shop/web\": metadata.annotations[\"respool.io/demand-memory\"]: \"lots\" is not a"
                        + " quantity: use a number with an optional suffix (m, k, M, G, T, Ki, Mi, Gi, Ti),"
                        + " e.g. \"500m\", \"2\", \"4Gi\", \"100M\"");
    }

    @Test
    void virtualMachineNeedsVcpusAndMemorySize() throws Exception {
        Translation t = translate("""
                apiVersion: respool.io/v1alpha1
                kind: VirtualMachine
                metadata: {name: tiny}
                spec:
                  cpu: {vcpus: 0}
                """);
        assertThat(t.errors()).extracting(FieldError::toString).containsExactly(
                "VirtualMachine \"default/tiny\": spec.cpu.vcpus: 0 is too small: use an integer of 1 or more",
                "VirtualMachine \"default/tiny\": spec.memory.size: is missing: give the guest memory size, e.g. \"4Gi\"");
    }

    @Test
    void badNodeQuantityAndBadSelectorOperator() throws Exception {
        Translation t = translate("""
                apiVersion: v1
                kind: Node
                metadata: {name: n1}
                status: {allocatable: {cpu: "4", memory: 8Gi, respool.io/disk-iops: fast}}
                ---
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: p}
                spec:
                  namespaceSelector:
                    matchExpressions: [{key: team, operator: Like, values: [a]}]
                """);
        assertThat(t.errors()).extracting(FieldError::toString).containsExactly(
                "ResourcePool \"p\": spec.namespaceSelector.matchExpressions[0].operator: \"Like\" is not an"
                        + " operator: use In, NotIn, Exists or DoesNotExist",
                "Node \"n1\": status.allocatable[\"respool.io/disk-iops\"]: \"fast\" is not a quantity: use a"
                        + " number with an optional suffix (m, k, M, G, T, Ki, Mi, Gi, Ti), e.g. \"500m\", \"2\","
                        + " \"4Gi\", \"100M\"");
        assertThat(t.spec().nodes()).isEmpty();
        assertThat(t.spec().pools()).isEmpty();
    }

    @Test
    void duplicatesAndMissingNamesAreErrors() throws Exception {
        Translation t = translate("""
                {apiVersion: respool.io/v1alpha1, kind: ResourcePool, metadata: {name: p}}
                ---
                {apiVersion: respool.io/v1alpha1, kind: ResourcePool, metadata: {name: p}}
                ---
                {apiVersion: respool.io/v1alpha1, kind: Container, metadata: {name: c, namespace: a}, spec: {image: x}}
                ---
                {apiVersion: respool.io/v1alpha1, kind: Container, metadata: {name: c, namespace: b}, spec: {image: x}}
                ---
                {apiVersion: respool.io/v1alpha1, kind: Container, metadata: {namespace: b}, spec: {image: x}}
                """);
        assertThat(t.errors()).extracting(FieldError::toString).containsExactly(
                "ResourcePool \"p\": metadata.name: is used twice: another ResourcePool has the same name",
                "Container \"b/null\": metadata.name: is missing: every object needs a name");
        assertThat(t.spec().pools()).hasSize(1);
        assertThat(t.spec().workloads()).hasSize(2);
    }

    @Test
    void creationOrderSortsByTimestampThenName() throws Exception {
        List<HasMetadata> resources = new ArrayList<>(objects("""
                {apiVersion: respool.io/v1alpha1, kind: Container, metadata: {name: b, creationTimestamp: "2025-01-02T00:00:00Z"}}
                ---
                {apiVersion: respool.io/v1alpha1, kind: Container, metadata: {name: c, creationTimestamp: "2025-01-01T00:00:00Z"}}
                ---
                {apiVersion: respool.io/v1alpha1, kind: Container, metadata: {name: a, creationTimestamp: "2025-01-02T00:00:00Z"}}
                """).resources());
        resources.sort(ClusterObjects.CREATION_ORDER);
        assertThat(resources).extracting(o -> o.getMetadata().getName()).containsExactly("c", "a", "b");
    }
}
