package io.respool.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.respool.engine.CgroupRenderer;
import io.respool.engine.Dimension;
import io.respool.engine.Quantities;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated CRDs in {@code crds/} against a real kube-apiserver and etcd (fabric8 kube-api-test,
 * offline with the binaries of {@code scripts/control-plane.sh}): the examples are accepted, invalid
 * objects are rejected with the CEL messages, schema defaults are applied, the Java model
 * round-trips without pruning, printer columns read the status fields, and {@code kubectl explain}
 * shows the field descriptions. One API server for the whole class.
 */
class CrdSchemaIT {

    private static final Path ROOT = repositoryRoot();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String TEST_NAMESPACE = "crd-schema-it";

    private static KubeAPIServer server;
    private static KubernetesClient client;
    private static Path kubeconfig;

    @BeforeAll
    static void startApiServerAndInstallCrds() throws IOException {
        server = new KubeAPIServer(serverConfig());
        server.start();
        String kubeconfigYaml = server.getKubeConfigYaml();
        kubeconfig = Files.createTempFile("respool-crd-it-", ".kubeconfig");
        Files.writeString(kubeconfig, kubeconfigYaml);
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfigYaml)).build();

        List<Path> crdFiles = crdFiles();
        assertThat(crdFiles).hasSize(4);
        for (Path file : crdFiles) {
            try (InputStream in = Files.newInputStream(file)) {
                CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
                client.resource(crd).create();
            }
        }
        for (Path file : crdFiles) {
            String name = file.getFileName().toString().replace("-v1.yml", "");
            client.apiextensions().v1().customResourceDefinitions().withName(name).waitUntilCondition(
                    c -> c != null && c.getStatus() != null && c.getStatus().getConditions().stream()
                            .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
                    60, TimeUnit.SECONDS);
        }
        createNamespace(TEST_NAMESPACE);
    }

    @AfterAll
    static void stopApiServer() throws IOException {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.stop();
        }
        if (kubeconfig != null) {
            Files.deleteIfExists(kubeconfig);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The examples are valid
    // ---------------------------------------------------------------------------------------------

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve("examples"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void examplesAreAcceptedByServerSideDryRunApply(Path example) throws IOException {
        List<GenericKubernetesResource> objects = respoolObjects(example);
        assertThat(objects).as("respool objects in %s", example).isNotEmpty();
        for (GenericKubernetesResource object : objects) {
            if (object.getMetadata().getNamespace() != null) {
                createNamespace(object.getMetadata().getNamespace());
            }
            GenericKubernetesResource applied = client.resource(object).dryRun().fieldManager("crd-schema-it")
                    .forceConflicts().serverSideApply();
            assertThat(applied.getKind()).isEqualTo(object.getKind());
            assertThat(applied.getMetadata().getName()).isEqualTo(object.getMetadata().getName());
            assertThat(applied.getMetadata().getUid()).as("dry run returns the object as it would be stored")
                    .isNotBlank();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Invalid objects are rejected with the CEL messages
    // ---------------------------------------------------------------------------------------------

    static Stream<Arguments> invalidObjects() {
        return Stream.of(
                Arguments.of("VM cpu limit below reservation",
                        vm("cpu: {vcpus: 4, reservation: \"2\", limit: 1500m}"),
                        "spec.cpu.limit",
                        "limit 1500m is below reservation 2: use a limit of at least the reservation, or omit"
                                + " limit for unlimited"),
                Arguments.of("Container memory limit below reservation",
                        container("memory: {reservation: 1Gi, limit: 512Mi}"),
                        "spec.memory.limit",
                        "limit 512Mi is below reservation 1Gi: use a limit of at least the reservation, or omit"
                                + " limit for unlimited"),
                Arguments.of("pool network limit below reservation",
                        pool("bad-pool-limit", "network: {egress: {reservation: 1G, limit: 100M}}"),
                        "spec.network.egress.limit",
                        "limit 100M is below reservation 1G: use a limit of at least the reservation, or omit"
                                + " limit for unlimited"),
                Arguments.of("VM with 0 vCPUs",
                        vm("cpu: {vcpus: 0}"),
                        "spec.cpu.vcpus",
                        "vcpus 0 is not valid: a VM needs at least 1 vCPU"),
                Arguments.of("VM with negative vCPUs",
                        vm("cpu: {vcpus: -2}"),
                        "spec.cpu.vcpus",
                        "a negative vcpus is not valid: a VM needs at least 1 vCPU"),
                Arguments.of("unknown shares level",
                        vm("cpu: {vcpus: 1, shares: urgent}"),
                        "spec.cpu.shares",
                        "shares \"urgent\" is not valid: use low, normal, high or an integer from 1 to 1000000"),
                Arguments.of("shares 0",
                        container("cpu: {shares: 0}"),
                        "spec.cpu.shares",
                        "shares \"0\" is not valid: use low, normal, high or an integer from 1 to 1000000"),
                Arguments.of("shares above 1000000",
                        pool("bad-pool-shares", "memory: {shares: 1000001}"),
                        "spec.memory.shares",
                        "shares \"1000001\" is not valid: use low, normal, high or an integer from 1 to 1000000"),
                Arguments.of("negative reservation",
                        container("cpu: {reservation: \"-1\"}"),
                        "spec.cpu.reservation",
                        "reservation \"-1\" is not valid: use a quantity of 0 or more, e.g. \"500m\", \"2\" or"
                                + " \"4Gi\""),
                Arguments.of("negative limit",
                        pool("bad-pool-negative", "disk: {iops: {limit: -5}}"),
                        "spec.disk.iops.limit",
                        "limit \"-5\" is not valid: use a quantity of 0 or more, e.g. \"500m\", \"2\" or \"4Gi\","
                                + " or omit it for unlimited"),
                Arguments.of("reservation that is not a quantity",
                        container("memory: {reservation: lots}"),
                        "spec.memory.reservation",
                        "reservation \"lots\" is not valid: use a quantity of 0 or more, e.g. \"500m\", \"2\" or"
                                + " \"4Gi\""),
                Arguments.of("VM memory size 0",
                        vmWith("cpu: {vcpus: 1}", "memory: {size: \"0\"}"),
                        "spec.memory.size",
                        "size \"0\" is not valid: use a quantity above 0, e.g. \"8Gi\""),
                Arguments.of("VM cpu reservation above its vCPUs without a limit",
                        vm("cpu: {vcpus: 2, reservation: \"3\"}"),
                        "spec.cpu.reservation",
                        "reservation 3 is above vcpus, the default cpu limit of a VM: reserve at most vcpus"
                                + " cores, or set a limit"),
                Arguments.of("VM memory reservation above its size without a limit",
                        vmWith("cpu: {vcpus: 1}", "memory: {size: 4Gi, reservation: 8Gi}"),
                        "spec.memory.reservation",
                        "reservation 8Gi is above the memory size 4Gi, which is the default limit: reserve at"
                                + " most the size"),
                Arguments.of("NodeResourcePlan not named like its node",
                        """
                        apiVersion: respool.io/v1alpha1
                        kind: NodeResourcePlan
                        metadata: {name: node-a}
                        spec: {nodeName: node-b}
                        """,
                        "spec.nodeName",
                        "spec.nodeName \"node-b\" differs from the object name \"node-a\": a NodeResourcePlan is"
                                + " named like its node"),
                Arguments.of("pool that is its own parent",
                        pool("loop", "parent: loop"),
                        "spec.parent",
                        "spec.parent \"loop\" is the pool itself: a pool cannot be its own parent; name another"
                                + " ResourcePool, or omit parent to hang it under the root"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidObjects")
    void invalidObjectsAreRejectedWithTheCelMessage(String what, String yaml, String field, String message)
            throws IOException {
        GenericKubernetesResource object = YAML.readValue(yaml, GenericKubernetesResource.class);
        assertThatThrownBy(() -> client.resource(object).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(422);
                    List<StatusCause> causes = e.getStatus().getDetails().getCauses();
                    assertThat(causes).as("causes of %s", e.getStatus().getMessage()).hasSize(1);
                    assertThat(causes.get(0).getField()).isEqualTo(field);
                    assertThat(causes.get(0).getMessage()).endsWith(": " + message);
                    assertThat(e.getStatus().getMessage()).contains(field + ": Invalid value: ")
                            .endsWith(": " + message);
                });
    }

    static Stream<Arguments> validEdgeCases() {
        return Stream.of(
                Arguments.of("limit equal to reservation in other units",
                        vm("cpu: {vcpus: 2, reservation: \"1\", limit: 1000m}")),
                Arguments.of("shares as a string of digits and at the bounds",
                        container("cpu: {shares: \"2000\"}\n  memory: {shares: 1}\n  network: {egress: {shares: 1000000}}")),
                Arguments.of("integer quantities",
                        pool("int-quantities", "disk: {iops: {reservation: 100, limit: 2000}}")),
                Arguments.of("VM reservation above vCPUs with an explicit limit",
                        vm("cpu: {vcpus: 2, reservation: \"3\", limit: \"4\"}")),
                Arguments.of("zero reservation and limit",
                        container("memory: {reservation: \"0\", limit: \"0\"}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validEdgeCases")
    void validEdgeCasesAreAccepted(String what, String yaml) throws IOException {
        GenericKubernetesResource object = YAML.readValue(yaml, GenericKubernetesResource.class);
        GenericKubernetesResource applied = client.resource(object).dryRun().create();
        assertThat(applied.getMetadata().getName()).isEqualTo(object.getMetadata().getName());
    }

    // ---------------------------------------------------------------------------------------------
    // Defaults come from the schema
    // ---------------------------------------------------------------------------------------------

    @Test
    void schemaDefaultsAreAppliedToMinimalObjects() throws IOException {
        create(vmNamed("minimal-vm", "cpu: {vcpus: 1}", "memory: {size: 1Gi}"));
        JsonNode vm = read("virtualmachines", TEST_NAMESPACE, "minimal-vm");
        assertThat(vm.at("/spec/os").asText()).isEqualTo("linux");
        assertThat(vm.at("/spec/runStrategy").asText()).isEqualTo("Always");
        assertThat(vm.at("/spec/cpu/shares").asText()).isEqualTo("normal");
        assertThat(vm.at("/spec/memory/shares").asText()).isEqualTo("normal");

        create(containerNamed("minimal-ct", "storage: {size: 1Gi}\n  disk: {iops: {limit: \"500\"}}"));
        JsonNode ct = read("containers", TEST_NAMESPACE, "minimal-ct");
        assertThat(ct.at("/spec/runStrategy").asText()).isEqualTo("Always");
        assertThat(ct.at("/spec/storage/persistent").isBoolean()).isTrue();
        assertThat(ct.at("/spec/storage/persistent").asBoolean()).isFalse();
        assertThat(ct.at("/spec/disk/iops/shares").asText()).isEqualTo("normal");

        create(pool("minimal-pool", "cpu: {reservation: \"1\"}"));
        JsonNode pool = read("resourcepools", null, "minimal-pool");
        assertThat(pool.at("/spec/cpu/shares").asText()).isEqualTo("normal");
        assertThat(pool.at("/spec/cpu/expandableReservation").isBoolean()).isTrue();
        assertThat(pool.at("/spec/cpu/expandableReservation").asBoolean()).isTrue();
        assertThat(pool.at("/spec/scalableShares").isBoolean()).isTrue();
        assertThat(pool.at("/spec/scalableShares").asBoolean()).isFalse();
    }

    // ---------------------------------------------------------------------------------------------
    // The Java model and the schema agree: nothing is pruned
    // ---------------------------------------------------------------------------------------------

    @Test
    void typedObjectsRoundTripWithoutPruning() {
        VirtualMachine vm = client.getKubernetesSerialization().unmarshal("""
                apiVersion: respool.io/v1alpha1
                kind: VirtualMachine
                metadata: {name: full-vm, namespace: %s}
                spec:
                  pool: production
                  os: windows
                  cpu: {vcpus: 4, reservation: "2", limit: 3500m, shares: 2000}
                  memory: {size: 8Gi, reservation: 8Gi, shares: high}
                  disk: {iops: {reservation: "100", shares: normal}, bandwidth: {limit: 200Mi, shares: "300"}}
                  network: {egress: {limit: 100M, shares: high}, ingress: {reservation: 10M, shares: low}}
                  disks: [{name: root, persistentVolumeClaim: db-root}, {name: data, image: example/disk:1}]
                  cloudInit: {userData: "#cloud-config"}
                  runStrategy: Manual
                  nodeSelector: {zone: a}
                """.formatted(TEST_NAMESPACE), VirtualMachine.class);
        VirtualMachine created = client.resource(vm).create();
        assertSameJson(created.getSpec(), vm.getSpec());

        Container ct = client.getKubernetesSerialization().unmarshal("""
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata: {name: full-ct, namespace: %s}
                spec:
                  image: nginx:1.27
                  command: [nginx]
                  args: [-g, daemon off;]
                  env:
                    - {name: A, value: b}
                    - name: POD
                      valueFrom: {fieldRef: {fieldPath: metadata.name}}
                    - name: MEM
                      valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}
                    - name: PASSWORD
                      valueFrom: {secretKeyRef: {name: s, key: k, optional: true}}
                    - name: CONF
                      valueFrom: {configMapKeyRef: {name: c, key: k}}
                  ports: [{containerPort: 80, name: http, protocol: TCP}]
                  cpu: {reservation: 500m, limit: "2", shares: low}
                  memory: {reservation: 256Mi, limit: 1Gi, shares: 5000}
                  storage: {size: 10Gi, persistent: true}
                  runStrategy: RerunOnFailure
                """.formatted(TEST_NAMESPACE), Container.class);
        Container createdCt = client.resource(ct).create();
        assertSameJson(createdCt.getSpec(), ct.getSpec());

        ResourcePool pool = client.getKubernetesSerialization().unmarshal("""
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: full-pool}
                spec:
                  parent: production
                  cpu: {reservation: "8", limit: "16", shares: high, expandableReservation: false}
                  memory: {reservation: 32Gi, shares: 163840, expandableReservation: true}
                  disk: {iops: {limit: "5000", shares: normal, expandableReservation: true}}
                  network: {egress: {limit: 1G, shares: normal, expandableReservation: true}}
                  scalableShares: true
                  nodeSelector: {tier: gold}
                  namespaceSelector:
                    matchLabels: {department: engineering}
                    matchExpressions: [{key: env, operator: In, values: [prod, staging]}]
                """, ResourcePool.class);
        ResourcePool createdPool = client.resource(pool).create();
        assertSameJson(createdPool.getSpec(), pool.getSpec());
    }

    // ---------------------------------------------------------------------------------------------
    // Status subresource and printer columns
    // ---------------------------------------------------------------------------------------------

    @Test
    void poolPrinterColumnsReadTheStatusTheOperatorWrites() throws Exception {
        ResourcePool pool = client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: columns-pool}
                spec: {parent: production, cpu: {reservation: "4"}}
                """, ResourcePool.class)).create();
        ResourcePoolStatus status = new ResourcePoolStatus();
        status.setObservedGeneration(pool.getMetadata().getGeneration());
        status.setHealth("Valid");
        status.getResources().put("cpu", poolFigures("3500m", "500m", "2"));
        status.getResources().put("memory", poolFigures("12Gi", "4Gi", "10Gi"));
        pool.setStatus(status);
        ResourcePool updated = client.resource(pool).updateStatus();
        assertThat(updated.getStatus().getResources().get("cpu").getAvailable()).isEqualTo(new Quantity("500m"));

        assertThat(kubectl("get", "resourcepools", "columns-pool")).containsExactly(
                List.of("NAME", "AGE", "CPU RESERVED", "CPU AVAILABLE", "CPU ENTITLED", "MEMORY RESERVED",
                        "MEMORY AVAILABLE", "MEMORY ENTITLED", "HEALTH"),
                List.of("columns-pool", "<age>", "3500m", "500m", "2", "12Gi", "4Gi", "10Gi", "Valid"));
        assertThat(kubectl("get", "rp", "columns-pool", "-o", "wide")).extracting(row -> row.subList(0, 4))
                .containsExactly(List.of("NAME", "AGE", "PARENT", "CPU RESERVED"),
                        List.of("columns-pool", "<age>", "production", "3500m"));
    }

    @Test
    void workloadPrinterColumnsReadTheStatusTheOperatorWrites() throws Exception {
        Container ct = client.resource(client.getKubernetesSerialization().unmarshal("""
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata: {name: columns-ct, namespace: %s}
                spec: {pool: production, image: nginx:1.27}
                """.formatted(TEST_NAMESPACE), Container.class)).create();
        ContainerStatus status = new ContainerStatus();
        status.setObservedGeneration(ct.getMetadata().getGeneration());
        status.setPhase("Running");
        status.setNode("node-7");
        status.getResources().put("cpu", workloadFigures("1250m"));
        status.getResources().put("memory", workloadFigures("768Mi"));
        ct.setStatus(status);
        client.resource(ct).updateStatus();

        assertThat(kubectl("get", "containers.respool.io", "-n", TEST_NAMESPACE, "columns-ct")).containsExactly(
                List.of("NAME", "AGE", "POOL", "NODE", "PHASE", "CPU", "MEMORY"),
                List.of("columns-ct", "<age>", "production", "node-7", "Running", "1250m", "768Mi"));

        create(vmNamed("columns-vm", "cpu: {vcpus: 1}", "memory: {size: 1Gi}"));
        assertThat(kubectl("get", "rvm", "-n", TEST_NAMESPACE, "columns-vm")).containsExactly(
                List.of("NAME", "AGE", "POOL", "NODE", "PHASE", "CPU", "MEMORY"),
                List.of("columns-vm", "<age>"));  // no pool, no status yet: blank cells
    }

    @Test
    void nodeResourcePlanRoundTripsAndShowsItsColumns() throws Exception {
        PlannedWorkload vm = new PlannedWorkload(PlannedWorkload.VIRTUAL_MACHINE, "payments", "db", "production", null);
        vm.replaceTargets(Map.of(
                Dimension.CPU, new CgroupRenderer.Target(1500, 1000, 2000, 2000),
                Dimension.MEMORY, new CgroupRenderer.Target(8L << 30, 8L << 30, Quantities.UNLIMITED, 81920)));
        PlannedWorkload web = new PlannedWorkload(PlannedWorkload.CONTAINER, "payments", "web", null, "0b4c-uid");
        web.replaceTargets(Map.of(Dimension.NETWORK_EGRESS, new CgroupRenderer.Target(0, 0, 100_000_000, 1000)));
        NodeResourcePlan plan = new NodeResourcePlan();
        plan.getMetadata().setName("node-1");
        plan.setSpec(new NodeResourcePlanSpec("node-1", List.of(vm, web)));
        NodeResourcePlan created = client.resource(plan).create();
        assertSameJson(created.getSpec(), plan.getSpec());
        assertThat(created.getSpec().getWorkloads().get(0).engineTargets().get(Dimension.MEMORY).cap())
                .isEqualTo(Quantities.UNLIMITED);

        NodeResourcePlanStatus status = new NodeResourcePlanStatus();
        status.setObservedGeneration(created.getMetadata().getGeneration());
        status.setCgroupVersion("v2");
        status.setCgroupDriver("systemd");
        status.setWorkloadCount(2);
        status.setLastAppliedTime("2026-01-01T00:00:00Z");
        status.getConditions().add(new io.fabric8.kubernetes.api.model.ConditionBuilder().withType(
                NodeResourcePlanStatus.ENFORCED).withStatus("False").withReason("NotEnforced")
                .withMessage("networkEgress of Container payments/web").withLastTransitionTime("2026-01-01T00:00:00Z")
                .withObservedGeneration(1L).build());
        AppliedWorkload applied = new AppliedWorkload(PlannedWorkload.CONTAINER, "payments", "web", "0b4c-uid");
        applied.setFound(true);
        applied.setCgroupPath("/kubepods.slice/kubepods-pod0b4c.slice");
        applied.getApplied().put("cpu.weight", "59");
        WorkloadUsage usage = new WorkloadUsage();
        usage.setCpuMillicores(420);
        usage.setMemoryWorkingSetBytes(123456789);
        applied.setUsage(usage);
        applied.setDemand(new WorkloadDemand(600L, null));
        applied.getEnforcement().add(new DimensionEnforcement("networkEgress", false, "NotImplemented",
                "network shaping is not available on this node"));
        status.getWorkloads().add(applied);
        created.setStatus(status);
        NodeResourcePlan withStatus = client.resource(created).updateStatus();
        assertSameJson(withStatus.getStatus(), status);

        assertThat(kubectl("get", "nrp", "node-1")).containsExactly(
                List.of("NAME", "AGE", "WORKLOADS", "CGROUP"),
                List.of("node-1", "<age>", "2", "v2"));
        assertThat(kubectl("get", "nrp", "node-1", "-o", "wide")).containsExactly(
                List.of("NAME", "AGE", "WORKLOADS", "DRIVER", "CGROUP", "ENFORCED"),
                List.of("node-1", "<age>", "2", "systemd", "v2", "False"));

        NodeResourcePlanStatus wrong = client.getKubernetesSerialization().clone(status);
        wrong.setCgroupVersion("v3");
        withStatus.setStatus(wrong);
        assertThatThrownBy(() -> client.resource(withStatus).updateStatus())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getMessage())
                        .contains("status.cgroupVersion"));
    }

    // ---------------------------------------------------------------------------------------------
    // kubectl explain shows the descriptions
    // ---------------------------------------------------------------------------------------------

    @Test
    void kubectlExplainShowsTheFieldDescriptions() throws Exception {
        String cpu = String.join("\n", run("explain", "virtualmachines.respool.io.spec.cpu"));
        assertThat(cpu).contains("KIND:       VirtualMachine", "GROUP:      respool.io", "VERSION:    v1alpha1")
                .contains("Virtual CPUs and cpu reservation, limit and shares (in cores).")
                .contains("vcpus\t<integer> -required-", "Number of virtual CPUs the guest sees.")
                .contains("reservation\t<Object>", "shares\t<Object>");

        String shares = String.join(" ", run("explain", "virtualmachines.respool.io.spec.cpu.shares"))
                .replaceAll("\\s+", " ");
        assertThat(shares).contains("Relative priority among its siblings under contention: low, normal or high"
                + " (vSphere presets, scaled by size: 500 / 1000 / 2000 per vCPU, 5 / 10 / 20 per MiB) or an integer"
                + " from 1 to 1000000.");

        String plan = String.join(" ", run("explain", "noderesourceplans.respool.io.spec.workloads.podUID"))
                .replaceAll("\\s+", " ");
        assertThat(plan).contains("virt-launcher pod");
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------

    private static io.fabric8.kubeapitest.KubeAPIServerConfig serverConfig() {
        // kube-api-test 7.5.x casts Boolean / Integer environment variables from String and fails:
        // every such setting is given here explicitly, never through the environment.
        KubeAPIServerConfigBuilder config = KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withWaitForEtcdHealthCheckOnStartup(true)
                .withStartupTimeout(120_000);
        String dir = System.getenv(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR);
        String version = System.getenv(KubeAPIServerConfigBuilder.KUBE_API_TEST_API_SERVER_VERSION);
        if (dir != null && !dir.isBlank()) {
            // The binaries of scripts/control-plane.sh: never download.
            config.withOfflineMode(true).withTestDir(dir);
            if (version != null && !version.isBlank()) {
                config.withApiServerVersion(version);
            }
        } else {
            // No prepared binaries (e.g. a laptop online): kube-api-test downloads them itself.
            config.withOfflineMode(false);
        }
        return config.build();
    }

    private static Path repositoryRoot() {
        String configured = System.getProperty("respool.root");
        Path dir = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path d = dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("crds")) && Files.isDirectory(d.resolve("examples"))) {
                return d;
            }
        }
        throw new IllegalStateException("cannot find the repository root (crds/ and examples/) above " + dir);
    }

    private static List<Path> crdFiles() throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve("crds"))) {
            return files.filter(f -> f.toString().endsWith("-v1.yml")).sorted().toList();
        }
    }

    private static List<GenericKubernetesResource> respoolObjects(Path file) throws IOException {
        List<GenericKubernetesResource> objects = new ArrayList<>();
        try (var docs = YAML.readerFor(GenericKubernetesResource.class).<GenericKubernetesResource>readValues(file.toFile())) {
            while (docs.hasNext()) {
                GenericKubernetesResource doc = docs.next();
                if (doc != null && ResourcePool.API_VERSION.equals(doc.getApiVersion())) {
                    objects.add(doc);
                }
            }
        }
        return objects;
    }

    private static void createNamespace(String name) {
        if (client.namespaces().withName(name).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                    .create();
        }
    }

    private static String vm(String cpu) {
        return vmWith(cpu, "memory: {size: 1Gi}");
    }

    private static String vmWith(String cpu, String memory) {
        return vmNamed("bad-vm", cpu, memory);
    }

    private static String vmNamed(String name, String cpu, String memory) {
        return """
                apiVersion: respool.io/v1alpha1
                kind: VirtualMachine
                metadata: {name: %s, namespace: %s}
                spec:
                  %s
                  %s
                """.formatted(name, TEST_NAMESPACE, cpu, memory);
    }

    private static String container(String allocations) {
        return containerNamed("bad-ct", allocations);
    }

    private static String containerNamed(String name, String allocations) {
        return """
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata: {name: %s, namespace: %s}
                spec:
                  image: nginx:1.27
                  %s
                """.formatted(name, TEST_NAMESPACE, allocations);
    }

    private static String pool(String name, String spec) {
        return """
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: %s}
                spec:
                  %s
                """.formatted(name, spec);
    }

    private static void create(String yaml) throws IOException {
        client.resource(YAML.readValue(yaml, GenericKubernetesResource.class)).create();
    }

    private static JsonNode read(String plural, String namespace, String name) {
        var resources = client.genericKubernetesResources(ResourcePool.API_VERSION,
                switch (plural) {
                    case "virtualmachines" -> "VirtualMachine";
                    case "containers" -> "Container";
                    default -> "ResourcePool";
                });
        GenericKubernetesResource object = namespace == null ? resources.withName(name).get()
                : resources.inNamespace(namespace).withName(name).get();
        assertThat(object).as("%s %s/%s", plural, namespace, name).isNotNull();
        return client.getKubernetesSerialization().convertValue(object, JsonNode.class);
    }

    private static void assertSameJson(Object actual, Object expected) {
        var serialization = client.getKubernetesSerialization();
        assertThat(serialization.convertValue(actual, JsonNode.class))
                .isEqualTo(serialization.convertValue(expected, JsonNode.class));
    }

    private static PoolResourceStatus poolFigures(String used, String available, String entitlement) {
        PoolResourceStatus figures = new PoolResourceStatus();
        figures.setUsed(new Quantity(used));
        figures.setAvailable(new Quantity(available));
        figures.setEntitlement(new Quantity(entitlement));
        return figures;
    }

    private static WorkloadResourceStatus workloadFigures(String entitlement) {
        WorkloadResourceStatus figures = new WorkloadResourceStatus();
        figures.setEntitlement(new Quantity(entitlement));
        return figures;
    }

    /** kubectl's table output as rows of cells; an AGE cell reads "<age>". */
    private static List<List<String>> kubectl(String... args) throws Exception {
        List<String> lines = run(args);
        List<List<String>> rows = new ArrayList<>();
        int ageColumn = -1;
        for (String line : lines) {
            List<String> cells = List.of(line.trim().split("\\s{2,}"));
            if (rows.isEmpty()) {
                ageColumn = cells.indexOf("AGE");
            } else if (ageColumn >= 0 && ageColumn < cells.size()) {
                cells = new ArrayList<>(cells);
                cells.set(ageColumn, "<age>");
            }
            rows.add(cells);
        }
        return rows;
    }

    private static List<String> run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(kubectlBinary().toString(), "--kubeconfig", kubeconfig.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("kubectl %s timed out", String.join(" ", args));
        }
        assertThat(process.exitValue()).as("kubectl %s:%n%s", String.join(" ", args), output).isZero();
        return output.lines().filter(l -> !l.isBlank()).toList();
    }

    private static Path kubectlBinary() {
        List<Path> candidates = new ArrayList<>();
        String bin = System.getenv("RESPOOL_BIN");
        if (bin != null && !bin.isBlank()) {
            candidates.add(Path.of(bin, "kubectl"));
        }
        String dir = System.getenv(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR);
        Path k8s = Path.of(dir != null && !dir.isBlank() ? dir
                : Path.of(System.getProperty("user.home"), KubeAPIServerConfigBuilder.DIRECTORY_NAME).toString(), "k8s");
        if (Files.isDirectory(k8s)) {
            try (Stream<Path> versions = Files.list(k8s)) {
                new TreeSet<>(versions.toList()).descendingSet().forEach(v -> candidates.add(v.resolve("kubectl")));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException("no kubectl in " + candidates
                        + ": run eval \"$(scripts/control-plane.sh --print-env)\" first"));
    }
}
