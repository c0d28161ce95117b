package io.respool.demo.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.respool.demo.ChildProcess;
import io.respool.demo.Cluster;
import io.respool.demo.ControlPlaneBinaries;
import io.respool.demo.Crds;
import io.respool.demo.FakeNode;
import io.respool.demo.KubeVirtStandIn;
import io.respool.demo.LocalCluster;
import io.respool.demo.PodTerminator;
import io.respool.demo.VolumeStandIn;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The same simulated cluster on k3s (Testcontainers' K3s module) instead of processes on this
 * machine: k3s brings its own kube-apiserver, scheduler and controller manager; KWOK (the cached
 * binary, on this machine, against k3s's API) simulates the nodes and renews their Leases for
 * k3s's node lifecycle controller; the stand-ins run in this JVM as with {@link LocalCluster}.
 * k3s runs without its own agent, so no real node competes with the simulated ones.
 *
 * <p>k3s has one admin identity: {@link #kubeconfig(String)} gives it to every user, and there is
 * no audit log, so only the scenarios that do not tell users apart run here.
 */
final class K3sCluster implements Cluster {

    /** k3s release matching scripts/versions.env's Kubernetes minor. */
    static final String IMAGE = "rancher/k3s:v1.34.1-k3s1";

    private final K3sContainer k3s;
    private final Path dir;
    private final KubernetesClient client;
    private final ChildProcess kwok;
    private final KubeVirtStandIn kubeVirt;
    private final VolumeStandIn volumes;
    private final PodTerminator terminator;

    private K3sCluster(K3sContainer k3s, Path dir, KubernetesClient client, ChildProcess kwok, KubeVirtStandIn kubeVirt,
                       VolumeStandIn volumes, PodTerminator terminator) {
        this.k3s = k3s;
        this.dir = dir;
        this.client = client;
        this.kwok = kwok;
        this.kubeVirt = kubeVirt;
        this.volumes = volumes;
        this.terminator = terminator;
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Starts k3s, or aborts the calling test class (skipped, not failed) without a Docker engine.
     *
     * @param options of the LocalCluster the scenario would use: k3s follows its KubeVirt settings
     */
    static K3sCluster startOrSkip(LocalCluster.Options options) {
        Assumptions.assumeTrue(dockerAvailable(), "no Docker engine: the k3s variant of this scenario is skipped");
        ControlPlaneBinaries binaries = ControlPlaneBinaries.locate();
        K3sContainer k3s = new K3sContainer(DockerImageName.parse(IMAGE));
        k3s.withCommand("server", "--disable=traefik,servicelb,metrics-server,local-storage", "--disable-agent",
                "--tls-san=" + k3s.getHost());
        k3s.start();
        try {
            Path dir = Files.createTempDirectory("respool-k3s-");
            Path kubeconfig = dir.resolve("kubeconfig.yaml");
            Files.writeString(kubeconfig, k3s.getKubeConfigYaml());
            KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml())).build();
            try (InputStream in = LocalCluster.class.getResourceAsStream("kwok-stages.yaml")) {
                Files.writeString(dir.resolve("kwok.yaml"), LocalCluster.kwokConfiguration(4, 40) + "---\n"
                        + new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8));
            }
            ChildProcess kwok = ChildProcess.start("kwok", List.of(binaries.kwok().toString(), "--kubeconfig",
                    kubeconfig.toString(), "--config", dir.resolve("kwok.yaml").toString()), Map.of(), dir,
                    dir.resolve("kwok.log"));
            Crds.installRespool(client);
            KubeVirtStandIn kubeVirt = KubeVirtStandIn.start(client, options.kubeVirtRequestDefaults());
            return new K3sCluster(k3s, dir, client, kwok, kubeVirt, VolumeStandIn.start(client),
                    PodTerminator.start(client));
        } catch (IOException e) {
            k3s.stop();
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public String kubeconfig() {
        return k3s.getKubeConfigYaml();
    }

    @Override
    public String kubeconfig(String user) {
        return k3s.getKubeConfigYaml();
    }

    @Override
    public void createNodes(List<FakeNode> nodes) {
        LocalCluster.createNodes(client, nodes);
        LocalCluster.awaitNodesReady(client, nodes, Duration.ofSeconds(120 + nodes.size() / 10));
    }

    @Override
    public void deleteNode(String name) {
        client.nodes().withName(name).delete();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (client.nodes().withName(name).get() != null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public String description() {
        return "k3s " + IMAGE + " in a container, KWOK " + kwok + ", files in " + dir;
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {terminator, volumes, kubeVirt}) {
            try {
                c.close();
            } catch (Exception e) {
                // stopping anyway
            }
        }
        client.close();
        kwok.stop(Duration.ofSeconds(5));
        k3s.stop();
        LocalCluster.deleteTree(dir);
    }
}
