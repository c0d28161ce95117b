package io.respool.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.respool.api.Container;
import io.respool.api.ResourcePool;
import io.respool.api.VirtualMachine;
import io.respool.operator.OperatorOptions;
import io.respool.operator.RespoolOperator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One real kube-apiserver and etcd per test class (fabric8 kube-api-test, offline, with the
 * binaries scripts/control-plane.sh provides), respool's CRDs from crds/, and a respool operator
 * running in the test's JVM. No kubelet and no scheduler: pods stay Pending, which these tests do
 * not mind. The class fails at the end when the operator logged an unexpected exception or an
 * unhandled update conflict.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ClusterTestSupport {

    protected static final KubernetesSerialization JSON = new KubernetesSerialization();
    protected static final Duration WAIT = Duration.ofSeconds(30);

    protected KubeAPIServer apiServer;
    protected KubernetesClient client;
    protected RespoolOperator operator;

    @BeforeAll
    void startCluster() {
        LogCapture.clear();
        Map<String, String> env = controlPlaneEnv();
        apiServer = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                .withOfflineMode(true)
                .withTestDir(env.get("KUBE_API_TEST_DIR"))
                .withApiServerVersion(env.get("KUBE_API_TEST_API_SERVER_VERSION"))
                .build());
        apiServer.start();
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(apiServer.getKubeConfigYaml())).build();
        installCrds();
        setUpCluster();
        startOperator();
    }

    @AfterAll
    void stopCluster() {
        try {
            stopOperator();
        } finally {
            if (client != null) {
                client.close();
            }
            if (apiServer != null) {
                apiServer.stop();
            }
        }
        assertThat(LogCapture.unexpected()).as("unexpected exceptions or update conflicts in the operator's log")
                .isEmpty();
    }

    /** Nodes and namespaces every scenario of the class shares; called before the operator starts. */
    protected abstract void setUpCluster();

    protected OperatorOptions options() {
        return OperatorOptions.defaults().withHttpPort(0).withBatching(Duration.ofMillis(50), Duration.ofMillis(100),
                Duration.ofMillis(300));
    }

    protected void startOperator() {
        operator = new RespoolOperator(client, options());
        operator.start();
    }

    protected void stopOperator() {
        if (operator != null) {
            operator.close();
            operator = null;
        }
    }

    // ---- cluster objects

    protected void node(String name, String cpu, String memory, Map<String, String> labels) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put("kubernetes.io/hostname", name);
        Node created = client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).withLabels(all)
                .endMetadata().build()).create();
        Map<String, Quantity> allocatable = Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory),
                "pods", new Quantity("110"));
        created.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                .withAllocatable(allocatable).withCapacity(allocatable)
                .withConditions(new NodeConditionBuilder().withType("Ready").withStatus("True").withReason("KubeletReady")
                        .build())
                .build());
        client.nodes().resource(created).updateStatus();
    }

    protected void namespace(String name, Map<String, String> labels) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
                .endMetadata().build()).create();
    }

    /** Creates the object a YAML document describes. */
    protected <T extends HasMetadata> T create(Class<T> type, String yaml) {
        T item = JSON.unmarshal(yaml, type);
        return client.resource(item).create();
    }

    protected ResourcePool pool(String name) {
        return client.resources(ResourcePool.class).withName(name).get();
    }

    protected Container container(String namespace, String name) {
        return client.resources(Container.class).inNamespace(namespace).withName(name).get();
    }

    protected VirtualMachine virtualMachine(String namespace, String name) {
        return client.resources(VirtualMachine.class).inNamespace(namespace).withName(name).get();
    }

    protected static Condition condition(List<Condition> conditions, String type) {
        return conditions == null ? null : conditions.stream().filter(c -> type.equals(c.getType())).findFirst()
                .orElse(null);
    }

    protected static void eventually(Runnable assertion) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(assertion::run);
    }

    protected void applyYamlResource(String resource) {
        try (InputStream in = ClusterTestSupport.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + resource);
            }
            client.load(in).serverSideApply();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected void waitEstablished(String crdName) {
        client.apiextensions().v1().customResourceDefinitions().withName(crdName).waitUntilCondition(
                ClusterTestSupport::established, WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private void installCrds() {
        Path dir = repositoryRoot().resolve("crds");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    client.load(in).serverSideApply();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CRDs in " + dir, e);
        }
        for (String crd : List.of("resourcepools.respool.io", "virtualmachines.respool.io", "containers.respool.io",
                "noderesourceplans.respool.io")) {
            waitEstablished(crd);
        }
    }

    protected static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("crds"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root (a directory with crds/) above "
                    + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /**
     * Where kube-api-test finds its binaries: from the environment the project's test command sets
     * (scripts/test.sh evals {@code scripts/control-plane.sh --print-env}), else from that script.
     */
    private static Map<String, String> controlPlaneEnv() {
        Map<String, String> env = new HashMap<>();
        for (String key : List.of("KUBE_API_TEST_DIR", "KUBE_API_TEST_API_SERVER_VERSION")) {
            if (System.getenv(key) != null) {
                env.put(key, System.getenv(key));
            }
        }
        if (env.size() == 2) {
            return env;
        }
        Path script = repositoryRoot().resolve("scripts/control-plane.sh");
        try {
            Process p = new ProcessBuilder(script.toString(), "--print-env").redirectErrorStream(false).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("export ")) {
                        String[] kv = line.substring("export ".length()).split("=", 2);
                        env.putIfAbsent(kv[0], kv[1].replaceAll("^['\"]|['\"]$", ""));
                    }
                }
            }
            if (p.waitFor() != 0 || !env.containsKey("KUBE_API_TEST_DIR")) {
                throw new IllegalStateException(script + " --print-env failed (exit " + p.exitValue() + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + script, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return env;
    }
}
