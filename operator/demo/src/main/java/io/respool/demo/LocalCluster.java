package io.respool.demo;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kubernetes cluster made of real control-plane processes on this machine and simulated nodes:
 *
 * <ul>
 *   <li><b>etcd</b> on a free loopback port, data in the cluster's temporary directory (without
 *       fsync: the data is thrown away at the end);</li>
 *   <li><b>kube-apiserver</b> on a free loopback port, serving a certificate it generates itself
 *       (clients trust exactly that certificate), static bearer tokens for a few users, all in
 *       {@code system:masters}, RBAC authorisation, a service-account signing key made here with the
 *       JDK, optionally an audit log of every write;</li>
 *   <li><b>kube-scheduler</b>, the real one, unchanged defaults except its client rate limits;</li>
 *   <li><b>kube-controller-manager</b> when asked for, with the garbage collector, namespace
 *       deletion and the pod garbage collector (which removes pods of deleted nodes);</li>
 *   <li><b>KWOK</b>, which manages the nodes annotated {@code kwok.x-k8s.io/node=fake}: nodes
 *       become Ready and bound pods Running without kubelets (stages in kwok-stages.yaml);</li>
 *   <li>in this JVM, the {@link KubeVirtStandIn}, the {@link VolumeStandIn} and the
 *       {@link PodTerminator} (the kubelet's part in deleting a pod).</li>
 * </ul>
 *
 * Two admission plugins are off because the controllers that complete their work do not run:
 * ServiceAccount (no service-account controller creates the "default" accounts pods refer to) and
 * TaintNodesByCondition (no node lifecycle controller would ever remove the not-ready taint).
 *
 * <p>{@link #close()} (also run by a JVM shutdown hook) stops every process tree and deletes the
 * temporary directory. The binaries come from {@link ControlPlaneBinaries}.
 */
public final class LocalCluster implements Cluster {

    private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);
    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    /** Annotation that hands a node to KWOK. */
    public static final String KWOK_ANNOTATION = "kwok.x-k8s.io/node";
    /** Users with a token: all cluster admins, distinguishable in the audit log. */
    public static final List<String> USERS = List.of("admin", "respool-1", "respool-2", "respool-3", "respool-4",
            "kube-scheduler", "kube-controller-manager", "kwok");

    /**
     * How the cluster runs.
     *
     * @param controllerManager   run kube-controller-manager (garbage collection, namespace deletion, pod GC)
     * @param auditLog            record every write request (user, verb, object) in {@code audit.log}
     * @param kubeVirt            install the stand-in KubeVirt CRD and run the {@link KubeVirtStandIn}
     * @param kubeVirtRequestDefaults the stand-in applies KubeVirt's defaulting of requests (zero or
     *                            absent requests become the limits); see {@link KubeVirtStandIn#start}
     * @param respoolCrds         install respool's CRDs (from the respool-api jar)
     * @param kwokParallelism     KWOK's workers per kind (pods and nodes)
     * @param clientQps           rate limit of kube-scheduler's and kube-controller-manager's clients
     * @param keepDirectory       leave the temporary directory (logs, audit log) behind on close
     */
    public record Options(boolean controllerManager, boolean auditLog, boolean kubeVirt,
                          boolean kubeVirtRequestDefaults, boolean respoolCrds, int kwokParallelism, int clientQps,
                          boolean keepDirectory) {

        public static Options defaults() {
            return new Options(false, false, true, true, true, 4, 200, false);
        }

        public Options withKubeVirtRequestDefaults(boolean value) {
            return new Options(controllerManager, auditLog, kubeVirt, value, respoolCrds, kwokParallelism, clientQps,
                    keepDirectory);
        }

        public Options withControllerManager(boolean value) {
            return new Options(value, auditLog, kubeVirt, kubeVirtRequestDefaults, respoolCrds,
                    kwokParallelism, clientQps, keepDirectory);
        }

        public Options withAuditLog(boolean value) {
            return new Options(controllerManager, value, kubeVirt, kubeVirtRequestDefaults, respoolCrds,
                    kwokParallelism, clientQps, keepDirectory);
        }

        public Options withKubeVirt(boolean value) {
            return new Options(controllerManager, auditLog, value, kubeVirtRequestDefaults, respoolCrds,
                    kwokParallelism, clientQps, keepDirectory);
        }

        public Options withRespoolCrds(boolean value) {
            return new Options(controllerManager, auditLog, kubeVirt, kubeVirtRequestDefaults, value, kwokParallelism,
                    clientQps, keepDirectory);
        }

        public Options withScale(int kwok, int qps) {
            return new Options(controllerManager, auditLog, kubeVirt, kubeVirtRequestDefaults, respoolCrds, kwok, qps,
                    keepDirectory);
        }

        public Options withKeepDirectory(boolean value) {
            return new Options(controllerManager, auditLog, kubeVirt, kubeVirtRequestDefaults, respoolCrds, kwokParallelism,
                    clientQps, value);
        }
    }

    private final Options options;
    private final ControlPlaneBinaries binaries;
    private final Path dir;
    private final Map<String, String> tokens = new LinkedHashMap<>();
    private final List<ChildProcess> processes = new ArrayList<>();
    /** Closed first (last registered first) when the cluster closes: what runs against it. */
    private final List<AutoCloseable> dependents = new ArrayList<>();
    private final Thread shutdownHook = new Thread(this::closeQuietly, "local-cluster-shutdown");
    private int apiPort;
    private String caData;
    private KubernetesClient client;
    private KubeVirtStandIn kubeVirt;
    private VolumeStandIn volumes;
    private PodTerminator terminator;
    private boolean closed;

    private LocalCluster(Options options, ControlPlaneBinaries binaries, Path dir) {
        this.options = options;
        this.binaries = binaries;
        this.dir = dir;
    }

    /** Starts a cluster; on failure everything started so far is stopped again. */
    public static LocalCluster start(Options options) {
        ControlPlaneBinaries binaries = ControlPlaneBinaries.locate();
        Path dir;
        try {
            dir = Files.createTempDirectory("respool-cluster-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory", e);
        }
        LocalCluster cluster = new LocalCluster(options, binaries, dir);
        Runtime.getRuntime().addShutdownHook(cluster.shutdownHook);
        try {
            cluster.boot();
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    public static LocalCluster start() {
        return start(Options.defaults());
    }

    private void boot() {
        long t0 = System.nanoTime();
        SecureRandom random = new SecureRandom();
        for (String user : USERS) {
            byte[] b = new byte[24];
            random.nextBytes(b);
            tokens.put(user, HexFormat.of().formatHex(b));
        }
        try {
            Files.createDirectories(dir.resolve("logs"));
            writeServiceAccountKey(dir.resolve("sa.key"));
            StringBuilder csv = new StringBuilder();
            tokens.forEach((user, token) -> csv.append(token).append(',').append(user).append(',').append(user)
                    .append(",\"system:masters\"\n"));
            Files.writeString(dir.resolve("tokens.csv"), csv);
            if (options.auditLog()) {
                try (InputStream in = LocalCluster.class.getResourceAsStream("audit-policy.yaml")) {
                    Files.write(dir.resolve("audit-policy.yaml"), Objects.requireNonNull(in).readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cluster's files into " + dir, e);
        }

        int etcdPort = freePort();
        int peerPort = freePort();
        String etcdUrl = "http://127.0.0.1:" + etcdPort;
        ChildProcess etcd = launch("etcd", List.of(binaries.etcd().toString(),
                "--name", "respool",
                "--data-dir", dir.resolve("etcd").toString(),
                "--listen-client-urls", etcdUrl,
                "--advertise-client-urls", etcdUrl,
                "--listen-peer-urls", "http://127.0.0.1:" + peerPort,
                "--initial-advertise-peer-urls", "http://127.0.0.1:" + peerPort,
                "--initial-cluster", "respool=http://127.0.0.1:" + peerPort,
                "--unsafe-no-fsync",
                "--quota-backend-bytes", String.valueOf(8L << 30),
                "--log-level", "warn"));
        waitUntil("etcd", etcd, Duration.ofSeconds(60), () -> httpOk(plainClient(), etcdUrl + "/health", null));

        apiPort = freePort();
        List<String> api = new ArrayList<>(List.of(binaries.kubeApiServer().toString(),
                "--etcd-servers", etcdUrl,
                "--bind-address", "127.0.0.1",
                "--advertise-address", "127.0.0.1",
                "--secure-port", String.valueOf(apiPort),
                "--cert-dir", dir.resolve("certs").toString(),
                "--token-auth-file", dir.resolve("tokens.csv").toString(),
                "--authorization-mode", "RBAC",
                "--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
                "--service-account-key-file", dir.resolve("sa.key").toString(),
                "--service-account-signing-key-file", dir.resolve("sa.key").toString(),
                "--disable-admission-plugins", "ServiceAccount,TaintNodesByCondition",
                "--service-cluster-ip-range", "10.96.0.0/16",
                "--allow-privileged",
                "--profiling=false"));
        if (options.auditLog()) {
            api.addAll(List.of("--audit-policy-file", dir.resolve("audit-policy.yaml").toString(),
                    "--audit-log-path", auditLog().toString(), "--audit-log-format", "json",
                    "--audit-log-mode", "blocking"));
        }
        ChildProcess apiServer = launch("kube-apiserver", api);
        Path cert = dir.resolve("certs/apiserver.crt");
        waitUntil("kube-apiserver", apiServer, Duration.ofSeconds(120), () -> {
            if (!Files.isRegularFile(cert)) {
                return false;
            }
            return httpOk(tlsClient(cert), "https://127.0.0.1:" + apiPort + "/readyz", tokens.get("admin"));
        });
        try {
            caData = Base64.getEncoder().encodeToString(Files.readAllBytes(cert));
            for (String user : List.of("admin", "kube-scheduler", "kube-controller-manager", "kwok")) {
                Files.writeString(kubeconfigFile(user), kubeconfig(user));
            }
            Files.writeString(dir.resolve("scheduler.yaml"), """
                    apiVersion: kubescheduler.config.k8s.io/v1
                    kind: KubeSchedulerConfiguration
                    clientConnection:
                      kubeconfig: %s
                      qps: %d
                      burst: %d
                    leaderElection:
                      leaderElect: false
                    """.formatted(kubeconfigFile("kube-scheduler"), options.clientQps(), 2 * options.clientQps()));
            try (InputStream in = LocalCluster.class.getResourceAsStream("kwok-stages.yaml")) {
                Files.writeString(dir.resolve("kwok.yaml"), kwokConfiguration(options.kwokParallelism(), 0)
                        + "---\n" + new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client = new KubernetesClientBuilder().withConfig(clientConfig("admin")).build();

        String schedulerKubeconfig = kubeconfigFile("kube-scheduler").toString();
        launch("kube-scheduler", List.of(binaries.kubeScheduler().toString(),
                "--config", dir.resolve("scheduler.yaml").toString(),
                "--authentication-kubeconfig", schedulerKubeconfig,
                "--authorization-kubeconfig", schedulerKubeconfig,
                "--bind-address", "127.0.0.1",
                "--secure-port", "0"));
        if (options.controllerManager()) {
            String kcm = kubeconfigFile("kube-controller-manager").toString();
            launch("kube-controller-manager", List.of(binaries.kubeControllerManager().toString(),
                    "--kubeconfig", kcm,
                    "--authentication-kubeconfig", kcm,
                    "--authorization-kubeconfig", kcm,
                    "--controllers", "garbage-collector-controller,namespace-controller,pod-garbage-collector-controller",
                    "--leader-elect=false",
                    "--bind-address", "127.0.0.1",
                    "--secure-port", "0",
                    "--kube-api-qps", String.valueOf(options.clientQps()),
                    "--kube-api-burst", String.valueOf(2 * options.clientQps())));
        }
        launch("kwok", List.of(binaries.kwok().toString(),
                "--kubeconfig", kubeconfigFile("kwok").toString(),
                "--config", dir.resolve("kwok.yaml").toString()));

        if (options.respoolCrds()) {
            Crds.installRespool(client);
        }
        if (options.kubeVirt()) {
            kubeVirt = KubeVirtStandIn.start(client, options.kubeVirtRequestDefaults());
        }
        volumes = VolumeStandIn.start(client);
        terminator = PodTerminator.start(client);
        // Crashed at start-up (bad flag, port taken)?
        for (ChildProcess p : processes) {
            if (!p.alive()) {
                throw new IllegalStateException(p.name() + " exited with status " + p.exitValue() + ":\n" + p.tail(30));
            }
        }
        log.info("local cluster up in {} ms: {}", (System.nanoTime() - t0) / 1_000_000, description());
    }

    /**
     * KWOK's options: which nodes it manages, its pod IP range, its workers, node leases (0: none;
     * a cluster with a node lifecycle controller needs them).
     */
    public static String kwokConfiguration(int parallelism, int leaseSeconds) {
        return """
                apiVersion: config.kwok.x-k8s.io/v1alpha1
                kind: KwokConfiguration
                options:
                  manageNodesWithAnnotationSelector: %s=fake
                  cidr: 10.0.0.0/8
                  podPlayStageParallelism: %d
                  nodePlayStageParallelism: %d
                  nodeLeaseParallelism: %d
                  podsOnNodeSyncParallelism: 1
                  nodeLeaseDurationSeconds: %d
                """.formatted(KWOK_ANNOTATION, parallelism, parallelism, parallelism, leaseSeconds);
    }

    private ChildProcess launch(String name, List<String> command) {
        ChildProcess p = ChildProcess.start(name, command, Map.of(), dir, dir.resolve("logs/" + name + ".log"));
        processes.add(p);
        return p;
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitUntil(String what, ChildProcess process, Duration timeout, Check check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.alive()) {
                throw new IllegalStateException(what + " exited with status " + process.exitValue() + " at start-up:\n"
                        + process.tail(30));
            }
            try {
                if (check.ok()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            sleep(100);
        }
        throw new IllegalStateException(what + " was not ready within " + timeout.toSeconds() + " s"
                + (last == null ? "" : " (" + last + ")") + ":\n" + process.tail(30));
    }

    private static HttpClient plainClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    private static HttpClient tlsClient(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(cert)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        int i = 0;
        for (Certificate c : certs) {
            trust.setCertificateEntry("c" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(2)).build();
    }

    private static boolean httpOk(HttpClient http, String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    private static void writeServiceAccountKey(Path file) throws IOException {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            byte[] der = gen.generateKeyPair().getPrivate().getEncoded(); // PKCS#8
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                    + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(file, pem);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A free TCP port on the loopback interface. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ---- Cluster

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public String kubeconfig() {
        return kubeconfig("admin");
    }

    @Override
    public String kubeconfig(String user) {
        String token = tokens.get(user);
        if (token == null) {
            throw new IllegalArgumentException("no user \"" + user + "\": one of " + USERS);
        }
        return """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: respool-local
                    cluster:
                      server: https://127.0.0.1:%d
                      certificate-authority-data: %s
                users:
                  - name: %s
                    user:
                      token: %s
                contexts:
                  - name: %s@respool-local
                    context: {cluster: respool-local, user: %s}
                current-context: %s@respool-local
                """.formatted(apiPort, caData, user, token, user, user, user);
    }

    /** A client configuration for one of {@link #USERS}. */
    public Config clientConfig(String user) {
        Config config = Config.fromKubeconfig(kubeconfig(user));
        config.setRequestTimeout(60_000);
        return config;
    }

    /** A kubeconfig file for one of {@link #USERS}, written into the cluster's directory. */
    public Path kubeconfigFile(String user) {
        Path file = dir.resolve("kubeconfig-" + user + ".yaml");
        if (!Files.exists(file) && caData != null) {
            try {
                Files.writeString(file, kubeconfig(user));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file;
    }

    public Path directory() {
        return dir;
    }

    /** The audit log (JSON lines), when {@link Options#auditLog()} is on. */
    public Path auditLog() {
        return dir.resolve("audit.log");
    }

    public Options options() {
        return options;
    }

    /** The processes of the cluster (for tests that check nothing is left behind). */
    public List<ChildProcess> processes() {
        return List.copyOf(processes);
    }

    public KubeVirtStandIn kubeVirtStandIn() {
        return kubeVirt;
    }

    @Override
    public void createNodes(List<FakeNode> nodes) {
        createNodes(client, nodes);
        awaitNodesReady(client, nodes, Duration.ofSeconds(60 + nodes.size() / 10));
    }

    /**
     * Creates each node without KWOK's annotation, writes its status (allocatable and capacity),
     * then hands it to KWOK: KWOK never sees a node without its resources.
     */
    public static void createNodes(KubernetesClient client, List<FakeNode> nodes) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(16, Math.max(1, nodes.size())));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (FakeNode n : nodes) {
                futures.add(pool.submit(() -> createNode(client, n)));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void createNode(KubernetesClient client, FakeNode n) {
        Node node = new NodeBuilder().withNewMetadata().withName(n.name()).withLabels(n.labels()).endMetadata().build();
        client.nodes().resource(node).create();
        Map<String, Object> status = Map.of("status", Map.of("allocatable", n.allocatable(), "capacity", n.allocatable()));
        client.nodes().withName(n.name()).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), JSON.asJson(status));
        client.nodes().withName(n.name()).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"" + KWOK_ANNOTATION + "\":\"fake\"}}}");
    }

    /** Waits until every node is Ready, untainted, with the allocatable resources it was given. */
    public static void awaitNodesReady(KubernetesClient client, List<FakeNode> nodes, Duration timeout) {
        Map<String, FakeNode> wanted = new LinkedHashMap<>();
        nodes.forEach(n -> wanted.put(n.name(), n));
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> notReady = List.of();
        while (System.nanoTime() < deadline) {
            Map<String, Node> have = new LinkedHashMap<>();
            client.nodes().list().getItems().forEach(n -> have.put(n.getMetadata().getName(), n));
            notReady = wanted.values().stream().filter(w -> !ready(have.get(w.name()), w)).map(FakeNode::name).toList();
            if (notReady.isEmpty()) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException(notReady.size() + " node(s) not Ready within " + timeout.toSeconds() + " s: "
                + notReady.subList(0, Math.min(10, notReady.size())));
    }

    private static boolean ready(Node node, FakeNode wanted) {
        if (node == null || node.getStatus() == null || node.getStatus().getConditions() == null) {
            return false;
        }
        boolean ready = node.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
                && (node.getSpec() == null || node.getSpec().getTaints() == null || node.getSpec().getTaints().isEmpty());
        Map<String, Quantity> alloc = node.getStatus().getAllocatable();
        return ready && alloc != null && wanted.allocatable().entrySet().stream()
                .allMatch(e -> alloc.get(e.getKey()) != null
                        && alloc.get(e.getKey()).getNumericalAmount().compareTo(e.getValue().getNumericalAmount()) == 0);
    }

    @Override
    public void deleteNode(String name) {
        client.nodes().withName(name).delete();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (client.nodes().withName(name).get() != null) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("node " + name + " was not deleted within 30 s");
            }
            sleep(100);
        }
    }

    @Override
    public String description() {
        return "kube-apiserver on 127.0.0.1:" + apiPort + ", " + processes.stream()
                .map(ChildProcess::toString).reduce((a, b) -> a + ", " + b).orElse("") + "; files in " + dir;
    }

    /**
     * Something that runs against this cluster (an operator, agents) and must stop before it: it is
     * closed first when the cluster closes, also from the shutdown hook (Ctrl-C).
     */
    public synchronized void closeFirst(AutoCloseable dependent) {
        dependents.add(dependent);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (AutoCloseable d : dependents.reversed()) {
            try {
                d.close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", d, e.toString());
            }
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs this anyway
            }
        }
        for (AutoCloseable c : new AutoCloseable[] {kubeVirt, volumes, terminator}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    log.debug("closing {}: {}", c, e.toString());
                }
            }
        }
        if (client != null) {
            client.close();
        }
        // Clients first, etcd last.
        for (ChildProcess p : processes.reversed()) {
            p.stop(Duration.ofSeconds(p.name().equals("etcd") ? 10 : 5));
        }
        if (!options.keepDirectory()) {
            deleteTree(dir);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            System.err.println("respool: stopping the local cluster failed: " + e);
        }
    }

    /** Deletes a directory tree, as far as it can. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a file still held by a dying process: the rest goes
                }
            });
        } catch (IOException e) {
            log.debug("cannot delete {}: {}", root, e.toString());
        }
    }

    /** Whether a call failed because the API server is gone (e.g. during shutdown). */
    static boolean unavailable(KubernetesClientException e) {
        return e.getCode() == 0 || e.getCode() == 503;
    }
}
