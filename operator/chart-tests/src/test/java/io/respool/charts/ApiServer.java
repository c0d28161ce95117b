package io.respool.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubeapitest.KubeAPIServer;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real kube-apiserver and etcd (fabric8 kube-api-test, offline, with the binaries of
 * scripts/control-plane.sh), RBAC authorization (kube-api-test's default), an audit log of every
 * request, and the OwnerReferencesPermissionEnforcement admission plugin that some distributions
 * enable: so RBAC gaps show up here and not in a user's cluster. No kubelet, scheduler or
 * controller-manager: Deployments get no Pods, which these tests do not need.
 */
final class ApiServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubeAPIServer server;
    private final Path dir;
    private final Path kubeconfig;
    private final Path auditLog;
    private final KubernetesClient client;

    ApiServer() {
        try {
            dir = Files.createTempDirectory("respool-chart-it-");
            auditLog = dir.resolve("audit.log");
            Path policy = dir.resolve("audit-policy.yaml");
            Files.writeString(policy, """
                    apiVersion: audit.k8s.io/v1
                    kind: Policy
                    omitStages: [RequestReceived]
                    rules:
                      - level: Metadata
                    """);
            Map<String, String> env = ControlPlane.env();
            // kube-api-test 7.5.x casts Boolean environment variables from String: set everything here.
            server = new KubeAPIServer(KubeAPIServerConfigBuilder.anAPIServerConfig()
                    .withOfflineMode(true)
                    .withTestDir(env.get("KUBE_API_TEST_DIR"))
                    .withApiServerVersion(env.get("KUBE_API_TEST_API_SERVER_VERSION"))
                    .withWaitForEtcdHealthCheckOnStartup(true)
                    .withStartupTimeout(120_000)
                    .withApiServerFlag("--audit-policy-file", policy.toString())
                    .withApiServerFlag("--audit-log-path", auditLog.toString())
                    .withApiServerFlag("--audit-log-mode", "blocking")
                    .withApiServerFlag("--enable-admission-plugins", "OwnerReferencesPermissionEnforcement")
                    .build());
            server.start();
            String yaml = server.getKubeConfigYaml();
            kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, yaml);
            client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(yaml)).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An administrator's client (system:masters). */
    KubernetesClient client() {
        return client;
    }

    Path kubeconfig() {
        return kubeconfig;
    }

    Path dir() {
        return dir;
    }

    /**
     * A client that acts as a ServiceAccount (impersonation, as the API server authorizes a pod's
     * token): every request is authorized by that account's RBAC only.
     */
    KubernetesClient as(String namespace, String serviceAccount) {
        return as(namespace, serviceAccount, Map.of());
    }

    /** As {@link #as(String, String)}, with user extras such as a pod-bound token's node name. */
    KubernetesClient as(String namespace, String serviceAccount, Map<String, List<String>> extras) {
        Config config = Config.fromKubeconfig(server.getKubeConfigYaml());
        config.setImpersonateUsername("system:serviceaccount:" + namespace + ":" + serviceAccount);
        config.setImpersonateGroups("system:serviceaccounts", "system:serviceaccounts:" + namespace,
                "system:authenticated");
        if (!extras.isEmpty()) {
            // Header names cannot hold '/': the API server percent-decodes the extra's key.
            Map<String, List<String>> encoded = new java.util.HashMap<>();
            extras.forEach((k, v) -> encoded.put(k.replace("/", "%2F"), v));
            config.setImpersonateExtras(encoded);
        }
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** The audit log's events so far: one JSON object per request. */
    List<JsonNode> auditEvents() {
        List<JsonNode> events = new ArrayList<>();
        try {
            if (!Files.exists(auditLog)) {
                return events;
            }
            for (String line : Files.readAllLines(auditLog)) {
                if (!line.isBlank()) {
                    events.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return events;
    }

    void createNamespace(String name, Map<String, String> labels) {
        if (client.namespaces().withName(name).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
                    .endMetadata().build()).create();
        }
    }

    void waitEstablished(String crdName) {
        client.apiextensions().v1().customResourceDefinitions().withName(crdName)
                .waitUntilCondition(ApiServer::established, 60, TimeUnit.SECONDS);
    }

    static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    @Override
    public void close() {
        client.close();
        server.stop();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }
}
