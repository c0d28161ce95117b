package io.respool.demo;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.respool.api.Container;
import io.respool.api.NodeResourcePlan;
import io.respool.api.PlannedWorkload;
import io.respool.api.ResourcePool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The end-to-end scale benchmark (architecture.md's targets), not a test: a {@link LocalCluster}
 * with 1,000 KWOK nodes, 100 pools three levels deep, then
 *
 * <ol>
 *   <li>10,000 bare Pods through kube-scheduler alone: time from the first creation to all bound
 *       and Running (then they are deleted again);</li>
 *   <li>the operator (its own JVM, {@code respool operator}) and 10,000 equivalent Containers: time
 *       from the first creation to all their pods bound and Running; the ratio of the two;</li>
 *   <li>pool changes: for each, the time until every NodeResourcePlan that carries a workload of
 *       the pool's subtree shows new targets (per node; p50 / p99 over all);</li>
 *   <li>the operator's heap after a full GC, and the engine's recompute duration from its metrics.</li>
 * </ol>
 *
 * Run: {@code java -cp operator/cli/target/respool.jar io.respool.demo.ScaleBenchmark} (see
 * docs/benchmarks.md, End to end).
 */
@Command(name = "ScaleBenchmark", mixinStandardHelpOptions = true,
        description = "respool's end-to-end scale benchmark on a LocalCluster of KWOK nodes.")
public final class ScaleBenchmark implements Callable<Integer> {

    private static final KubernetesSerialization JSON = new KubernetesSerialization();
    private static final String BARE = "respool-bench/bare";

    @Option(names = "--nodes", defaultValue = "1000", description = "KWOK nodes (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--workloads", defaultValue = "10000", description = "Containers, and bare Pods (default ${DEFAULT-VALUE}).")
    int workloads;

    @Option(names = "--namespaces", defaultValue = "10", description = "Namespaces (default ${DEFAULT-VALUE}).")
    int namespaces;

    @Option(names = "--threads", defaultValue = "32", description = "Creating threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--pool-changes", defaultValue = "18", description = "Pool changes measured (default ${DEFAULT-VALUE}).")
    int poolChanges;

    @Option(names = "--skip-bare", description = "Skip the bare-pod run.")
    boolean skipBare;

    @Option(names = "--operator-jvm", split = " ", description = "JVM options of the operator, space-separated"
            + " (default: none, the JVM's defaults).")
    List<String> operatorJvm = new ArrayList<>();

    @Option(names = "--jfr", description = "Record the operator with JDK Flight Recorder (profile settings).")
    boolean jfr;

    @Option(names = "--kwok-parallelism", defaultValue = "16", description = "KWOK workers (default ${DEFAULT-VALUE}).")
    int kwokParallelism;

    @Option(names = "--client-qps", defaultValue = "500",
            description = "kube-scheduler's client QPS, burst twice that (default ${DEFAULT-VALUE}).")
    int clientQps;

    @Option(names = "--out", defaultValue = "scale-benchmark.json", description = "Results (JSON) (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--keep", description = "Keep the cluster's directory (logs, JFR recording).")
    boolean keep;

    private final Map<String, Object> results = new LinkedHashMap<>();
    private PrintWriter log;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ScaleBenchmark()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        log = new PrintWriter(System.out, true);
        results.put("machine", machine());
        results.put("parameters", Map.of("nodes", nodes, "workloads", workloads, "pools", 100, "namespaces", namespaces,
                "threads", threads, "kwokParallelism", kwokParallelism, "schedulerQps", clientQps,
                "operatorJvm", String.join(" ", operatorJvm)));
        long t0 = System.nanoTime();
        try (LocalCluster cluster = LocalCluster.start(LocalCluster.Options.defaults().withKubeVirt(false)
                .withScale(kwokParallelism, clientQps).withKeepDirectory(keep))) {
            KubernetesClient client = cluster.client();
            admin = client;
            say("cluster up: %s", cluster.description());
            cluster.processes().forEach(p -> cpuPids.put(p.name(), p.pid()));
            cpuPids.put("benchmark (this JVM, incl. stand-ins)", ProcessHandle.current().pid());
            List<FakeNode> fake = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                fake.add(FakeNode.of(String.format("node-%04d", i), "32", "128Gi", Map.of("zone", "z" + i % 5)));
            }
            long n0 = System.nanoTime();
            cluster.createNodes(fake);
            say("%d nodes Ready in %.1f s", nodes, secs(n0));
            for (int i = 0; i < namespaces; i++) {
                client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns(i)).endMetadata()
                        .build()).create();
            }
            List<String> leaves = createPools(client);

            if (!skipBare) {
                results.put("barePods", barePods(client));
            }

            Path dir = cluster.directory().resolve("operator");
            List<String> jvm = new ArrayList<>(operatorJvm);
            if (jfr) {
                jvm.add("-XX:StartFlightRecording=filename=" + dir.resolve("operator.jfr") + ",settings=profile,"
                        + "dumponexit=true");
            }
            Path jar = respoolJar();
            try (OperatorProcess operator = OperatorProcess.start(cluster.kubeconfig("respool-1"), "bench", dir, jar, jvm,
                    List.of("--no-leader-election"))) {
                operator.awaitStarted(Duration.ofMinutes(5));
                cpuPids.put("operator", operator.pid());
                // The summary's quantiles cover a short sliding window: sample them all along.
                Thread scraper = Thread.ofPlatform().daemon().name("metrics-scraper").start(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        try {
                            Map<String, Object> m = recompute(operator.metrics(), false);
                            for (String k : List.of("p99Millis", "maxMillis", "p50Millis")) {
                                if (m.get(k) instanceof Double v) {
                                    recomputePeaks.merge(k, v, Math::max);
                                }
                            }
                            Thread.sleep(2000);
                        } catch (InterruptedException e) {
                            return;
                        } catch (RuntimeException e) {
                            // the operator is stopping
                        }
                    }
                });
                say("operator started (pid %d, %s)", operator.pid(), jar == null ? "class path" : jar);
                results.put("containers", containers(client, leaves));
                results.put("poolChange", poolChanges(client));
                results.put("operatorHeap", heap(operator.pid()));
                scraper.interrupt();
                Map<String, Object> rc = recompute(operator.metrics(), true);
                recomputePeaks.forEach((k, v) -> rc.put("highest " + k + " seen (2 s samples)", v));
                results.put("engineRecompute", rc);
                results.put("operatorHeapHistogram", histogram(operator.pid()));
                if (jfr) {
                    run(List.of(jcmd(), String.valueOf(operator.pid()), "JFR.dump", "filename=" + dir.resolve("operator.jfr")));
                    results.put("jfr", dir.resolve("operator.jfr").toString());
                }
            }
            Map<String, Object> bare = cast(results.get("barePods"));
            Map<String, Object> cts = cast(results.get("containers"));
            if (bare != null && cts != null) {
                results.put("ratio", round((double) cts.get("allRunningSeconds") / (double) bare.get("allRunningSeconds")));
            }
        }
        results.put("totalSeconds", round(secs(t0)));
        Files.writeString(out, JSON.asJson(results) + "\n");
        say("results in %s:%n%s", out, JSON.asYaml(results));
        return 0;
    }

    // ---- pools: 4 departments x 4 teams x 5 projects = 100

    private List<String> createPools(KubernetesClient client) {
        List<ResourcePool> pools = new ArrayList<>();
        List<String> leaves = new ArrayList<>();
        String[] shares = {"high", "normal", "low", "normal"};
        for (int d = 0; d < 4; d++) {
            String dept = "dept-" + d;
            pools.add(pool(dept, null, "300", "600Gi", d == 3 ? "1200" : null, shares[d]));
            for (int t = 0; t < 4; t++) {
                String team = dept + "-team-" + t;
                pools.add(pool(team, dept, "60", "120Gi", t == 1 ? "200" : null, shares[(d + t) % 4]));
                for (int p = 0; p < 5; p++) {
                    String project = team + "-p" + p;
                    pools.add(pool(project, team, "10", "20Gi", p == 4 ? "40" : null, shares[(t + p) % 4]));
                    leaves.add(project);
                }
            }
        }
        pools.forEach(p -> client.resource(p).create());
        return leaves;
    }

    private static ResourcePool pool(String name, String parent, String cpu, String memory, String cpuLimit, String shares) {
        return JSON.unmarshal("""
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: %s}
                spec:
                  %s
                  cpu: {reservation: "%s", shares: %s%s}
                  memory: {reservation: %s}
                """.formatted(name, parent == null ? "" : "parent: " + parent, cpu, shares,
                cpuLimit == null ? "" : ", limit: \"" + cpuLimit + "\"", memory), ResourcePool.class);
    }

    private String ns(int i) {
        return "bench-" + i;
    }

    // ---- the two runs

    private Map<String, Object> barePods(KubernetesClient client) {
        List<Pod> pods = new ArrayList<>();
        for (int i = 0; i < workloads; i++) {
            pods.add(new PodBuilder().withNewMetadata().withName(String.format("bare-%05d", i)).withNamespace(ns(i % namespaces))
                    .withLabels(Map.of("app.kubernetes.io/part-of", BARE.replace('/', '-'))).endMetadata()
                    .withNewSpec().addNewContainer().withName("main").withImage("nginx:1.27")
                    .withNewResources()
                    .withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("128Mi")))
                    .withLimits(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("256Mi")))
                    .endResources().endContainer().endSpec().build());
        }
        Map<String, Object> r = run(client, "app.kubernetes.io/part-of", BARE.replace('/', '-'), pods);
        say("bare pods: %s", r);
        // Deleted again, so that the operator never sees them.
        long d0 = System.nanoTime();
        for (int i = 0; i < namespaces; i++) {
            client.pods().inNamespace(ns(i)).withLabel("app.kubernetes.io/part-of", BARE.replace('/', '-')).delete();
        }
        waitUntil(() -> client.pods().inAnyNamespace().withLabel("app.kubernetes.io/part-of", BARE.replace('/', '-'))
                .list().getItems().isEmpty(), Duration.ofMinutes(20));
        say("bare pods deleted in %.1f s", secs(d0));
        return r;
    }

    private Map<String, Object> containers(KubernetesClient client, List<String> leaves) {
        List<Container> cts = new ArrayList<>();
        for (int i = 0; i < workloads; i++) {
            cts.add(JSON.unmarshal("""
                    apiVersion: respool.io/v1alpha1
                    kind: Container
                    metadata: {name: %s, namespace: %s}
                    spec:
                      pool: %s
                      image: nginx:1.27
                      cpu: {reservation: 100m, limit: 500m}
                      memory: {reservation: 128Mi, limit: 256Mi}
                    """.formatted(String.format("ct-%05d", i), ns(i % namespaces), leaves.get(i % leaves.size())),
                    Container.class));
        }
        Map<String, Object> r = run(client, "respool.io/container", null, cts);
        say("containers: %s", r);
        return r;
    }

    /** Creates the objects and follows the pods with the label until all are bound and Running. */
    private Map<String, Object> run(KubernetesClient client, String label, String value, List<? extends HasMetadata> objects) {
        Map<String, Long> bound = new ConcurrentHashMap<>();
        Map<String, Long> running = new ConcurrentHashMap<>();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        var pods = value == null ? client.pods().inAnyNamespace().withLabel(label)
                : client.pods().inAnyNamespace().withLabel(label, value);
        SharedIndexInformer<Pod> informer = pods.runnableInformer(0);
        long t0 = System.nanoTime();
        informer.addEventHandler(onAddOrUpdate((Pod p) -> {
            String key = p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
            seen.add(key);
            long now = System.nanoTime() - t0;
            if (p.getSpec().getNodeName() != null) {
                bound.putIfAbsent(key, now);
            }
            if (p.getStatus() != null && "Running".equals(p.getStatus().getPhase())) {
                running.putIfAbsent(key, now);
            }
        }));
        informer.start().toCompletableFuture().join();
        Map<String, Double> cpu0 = cpuNow();
        Map<String, Double> req0 = requestsNow();
        long[] createdAt = new long[1];
        Burst.create(client, objects, threads, n -> {
            if (n == objects.size()) {
                createdAt[0] = System.nanoTime() - t0;
            }
        });
        int n = objects.size();
        long lastProgress = System.nanoTime();
        while (running.size() < n) {
            if (System.nanoTime() - lastProgress > 10_000_000_000L) {
                say("  %.0f s: %d pods, %d bound, %d running", secs(t0), seen.size(), bound.size(), running.size());
                lastProgress = System.nanoTime();
            }
            sleep(200);
            if (secs(t0) > 3600) {
                throw new IllegalStateException("not all Running after an hour: " + running.size() + " of " + n);
            }
        }
        Map<String, Double> cpu1 = cpuNow();
        Map<String, Double> req1 = requestsNow();
        informer.stop();
        double all = Collections2.max(running.values()) / 1e9;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("count", n);
        r.put("createdSeconds", round(createdAt[0] / 1e9));
        r.put("allBoundSeconds", round(Collections2.max(bound.values()) / 1e9));
        r.put("allRunningSeconds", round(all));
        r.put("medianRunningSeconds", round(Collections2.percentile(running.values(), 0.5) / 1e9));
        r.put("perSecond", round(n / all));
        r.put("cpuSeconds", cpuSpent(cpu0, cpu1, secs(t0)));
        r.put("writeRequests", requestsSpent(req0, req1));
        return r;
    }

    // ---- pool change -> NodeResourcePlans

    private Map<String, Object> poolChanges(KubernetesClient client) {
        // Every plan as it arrives, with its arrival time.
        Map<String, NodeResourcePlan> latest = new ConcurrentHashMap<>();
        SharedIndexInformer<NodeResourcePlan> informer = client.resources(NodeResourcePlan.class).runnableInformer(0);
        List<Arrival> log = java.util.Collections.synchronizedList(new ArrayList<>());
        informer.addEventHandler(onAddOrUpdate((NodeResourcePlan p) -> {
            latest.put(p.getMetadata().getName(), p);
            log.add(new Arrival(System.nanoTime(), p));
        }));
        informer.start().toCompletableFuture().join();
        Map<String, String> parents = new HashMap<>();
        client.resources(ResourcePool.class).list().getItems().forEach(p -> parents.put(p.getMetadata().getName(),
                p.getSpec().getParent()));
        // Projects, teams and departments, spread over the tree.
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < poolChanges; i++) {
            int d = i % 4;
            int t = (i / 4) % 4;
            targets.add(switch (i % 6) {
                case 0, 1, 2, 3 -> "dept-" + d + "-team-" + t + "-p" + (i % 5);
                case 4 -> "dept-" + d + "-team-" + t;
                default -> "dept-" + d;
            });
        }
        // Start from a quiet operator: every Container's status says Running, and no plan changed for 10 s.
        long q0 = System.nanoTime();
        waitUntil(() -> client.resources(Container.class).inAnyNamespace().list().getItems().stream()
                .allMatch(c -> c.getStatus() != null && "Running".equals(c.getStatus().getPhase())), Duration.ofMinutes(30));
        double statusesRunning = secs(q0);
        int settled = -1;
        while (settled != log.size()) {
            settled = log.size();
            sleep(10_000);
        }
        say("operator quiet %.1f s after the last pod ran (Container statuses Running after %.1f s)", secs(q0),
                statusesRunning);
        List<Double> perNode = new ArrayList<>();
        List<Map<String, Object>> changes = new ArrayList<>();
        for (String pool : targets) {
            sleep(3000); // let the previous change settle
            Set<String> subtree = subtree(pool, parents);
            Map<String, Map<String, Long>> before = new HashMap<>();
            latest.forEach((node, plan) -> {
                Map<String, Long> caps = caps(plan, subtree);
                if (!caps.isEmpty()) {
                    before.put(node, caps);
                }
            });
            ResourcePool p = client.resources(ResourcePool.class).withName(pool).get();
            long entitlement = Long.parseLong(p.getStatus().getResources().get("cpu").getEntitlement().getNumericalAmount()
                    .movePointRight(3).toBigInteger().toString());
            long reservation = p.getSpec().getCpu().getReservation() == null ? 0 : Long.parseLong(p.getSpec().getCpu()
                    .getReservation().getNumericalAmount().movePointRight(3).toBigInteger().toString());
            long newLimit = Math.max(Math.max(1, reservation), entitlement / 2);
            if (newLimit >= entitlement) {
                say("pool change %s skipped: its entitlement %dm is not above its reservation", pool, entitlement);
                continue;
            }
            String limit = newLimit + "m";
            int from = log.size();
            long changedAt = System.nanoTime();
            client.resources(ResourcePool.class).withName(pool).edit(rp -> {
                rp.getSpec().getCpu().setLimit(new Quantity(limit));
                return rp;
            });
            // Nodes whose plan shows other caps for the subtree's workloads, and when they first did.
            // A plan whose values do not change is not affected (e.g. caps bound by a narrower limit
            // lower in the tree); the change has settled once no plan changed for 10 s.
            Map<String, Long> done = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            long lastChange = System.nanoTime();
            int next = from;
            while (System.nanoTime() < deadline
                    && (done.isEmpty() || System.nanoTime() - lastChange < Duration.ofSeconds(10).toNanos())
                    && done.size() < before.size()) {
                List<Arrival> fresh;
                synchronized (log) {
                    fresh = new ArrayList<>(log.subList(next, log.size()));
                }
                next += fresh.size();
                for (Arrival a : fresh) {
                    String node = a.plan().getMetadata().getName();
                    Map<String, Long> was = before.get(node);
                    if (was != null && !done.containsKey(node) && !caps(a.plan(), subtree).equals(was)) {
                        done.put(node, a.at() - changedAt);
                        lastChange = a.at();
                    }
                }
                sleep(50);
            }
            List<Long> lat = new ArrayList<>(done.values());
            lat.forEach(l -> perNode.add(l / 1e9));
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("pool", pool);
            c.put("newCpuLimit", limit);
            c.put("nodesWithItsWorkloads", before.size());
            c.put("affectedNodes", done.size());
            c.put("maxSeconds", lat.isEmpty() ? null : round(Collections2.max(lat) / 1e9));
            changes.add(c);
            say("pool change %s: cpu limit %s, %d plans changed (of %d with its workloads), slowest after %s s",
                    pool, limit, done.size(), before.size(), c.get("maxSeconds"));
        }
        informer.stop();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("containerStatusesRunningAfterSeconds", round(statusesRunning));
        r.put("samples", perNode.size());
        r.put("p50Seconds", round(Collections2.percentileD(perNode, 0.5)));
        r.put("p99Seconds", round(Collections2.percentileD(perNode, 0.99)));
        r.put("maxSeconds", round(Collections2.percentileD(perNode, 1.0)));
        r.put("changes", changes);
        return r;
    }

    private record Arrival(long at, NodeResourcePlan plan) {
    }

    private static Set<String> subtree(String root, Map<String, String> parents) {
        Set<String> result = new HashSet<>();
        for (String p : parents.keySet()) {
            for (String q = p; q != null; q = parents.get(q)) {
                if (q.equals(root)) {
                    result.add(p);
                    break;
                }
            }
        }
        return result;
    }

    /** name → cpu cap of the plan's workloads in the given pools. */
    private static Map<String, Long> caps(NodeResourcePlan plan, Set<String> pools) {
        Map<String, Long> caps = new HashMap<>();
        if (plan.getSpec() == null) {
            return caps;
        }
        for (PlannedWorkload w : plan.getSpec().getWorkloads()) {
            if (pools.contains(w.getPool()) && w.getCpu() != null) {
                caps.put(w.getNamespace() + "/" + w.getName(), w.getCpu().getCap());
            }
        }
        return caps;
    }

    // ---- the operator's figures

    private Map<String, Object> heap(long pid) {
        run(List.of(jcmd(), String.valueOf(pid), "GC.run"));
        String info = run(List.of(jcmd(), String.valueOf(pid), "GC.heap_info"));
        Matcher m = Pattern.compile("total (?:reserved \\d+K, committed )?(\\d+)K, used (\\d+)K").matcher(info);
        Map<String, Object> r = new LinkedHashMap<>();
        if (m.find()) {
            r.put("committedMiB", Long.parseLong(m.group(1)) / 1024);
            r.put("usedAfterFullGcMiB", Long.parseLong(m.group(2)) / 1024);
        }
        r.put("heapInfo", info.lines().limit(3).toList());
        say("operator heap: %s", r);
        return r;
    }

    private final Map<String, Double> recomputePeaks = new ConcurrentHashMap<>();

    /** The 20 classes with the most bytes on the operator's heap (after the full GC of heap()). */
    private List<String> histogram(long pid) {
        String h = run(List.of(jcmd(), String.valueOf(pid), "GC.class_histogram"));
        return h.lines().filter(l -> l.matches("\\s*\\d+:.*")).limit(20).map(String::trim).toList();
    }

    private Map<String, Object> recompute(String metrics, boolean report) {
        Map<String, Object> r = new LinkedHashMap<>();
        for (String line : metrics.lines().toList()) {
            if (!line.startsWith("respool_recompute_duration_seconds")) {
                continue;
            }
            String[] kv = line.split(" ");
            String name = kv[0];
            double value = Double.parseDouble(kv[kv.length - 1]);
            if (name.contains("quantile=\"0.5\"")) {
                r.put("p50Millis", round(value * 1000));
            } else if (name.contains("quantile=\"0.99\"")) {
                r.put("p99Millis", round(value * 1000));
            } else if (name.startsWith("respool_recompute_duration_seconds_max")) {
                r.put("maxMillis", round(value * 1000));
            } else if (name.startsWith("respool_recompute_duration_seconds_count")) {
                r.put("runs", (long) value);
            } else if (name.startsWith("respool_recompute_duration_seconds_sum")) {
                r.put("sumSeconds", round(value));
            }
        }
        if (r.get("runs") instanceof Long n && n > 0 && r.get("sumSeconds") instanceof Double s) {
            r.put("meanMillis", round(s * 1000 / n));
        }
        if (report) {
            say("engine recompute: %s", r);
        }
        return r;
    }

    // ---- kube-apiserver's request counts, to tell which requests a phase made

    private KubernetesClient admin;

    /** resource[/subresource] verb → requests so far (apiserver_request_total, all codes). */
    private Map<String, Double> requestsNow() {
        Map<String, Double> r = new HashMap<>();
        String text;
        try {
            text = admin.raw("/metrics");
        } catch (RuntimeException e) {
            return r;
        }
        Pattern labels = Pattern.compile("(\\w+)=\"([^\"]*)\"");
        for (String line : text.lines().toList()) {
            if (!line.startsWith("apiserver_request_total{")) {
                continue;
            }
            Map<String, String> l = new HashMap<>();
            Matcher m = labels.matcher(line.substring(0, line.lastIndexOf('}')));
            while (m.find()) {
                l.put(m.group(1), m.group(2));
            }
            if (Set.of("WATCH", "LIST", "GET", "CONNECT").contains(l.get("verb"))) {
                continue;
            }
            String key = l.getOrDefault("resource", "?") + (l.getOrDefault("subresource", "").isEmpty() ? ""
                    : "/" + l.get("subresource")) + " " + l.get("verb");
            r.merge(key, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
        }
        return r;
    }

    private static Map<String, Object> requestsSpent(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Object> r = new java.util.TreeMap<>();
        long total = 0;
        for (var e : after.entrySet()) {
            long n = Math.round(e.getValue() - before.getOrDefault(e.getKey(), 0.0));
            if (n > 0) {
                r.put(e.getKey(), n);
                total += n;
            }
        }
        r.put("(all writes)", total);
        return r;
    }

    // ---- CPU time per process, to tell where a phase's time went

    private final Map<String, Long> cpuPids = new LinkedHashMap<>();

    private Map<String, Double> cpuNow() {
        Map<String, Double> r = new LinkedHashMap<>();
        cpuPids.forEach((name, pid) -> r.put(name, ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration())
                .map(d -> d.toMillis() / 1000.0).orElse(0.0)));
        return r;
    }

    private static Map<String, Object> cpuSpent(Map<String, Double> before, Map<String, Double> after, double wall) {
        Map<String, Object> r = new LinkedHashMap<>();
        double total = 0;
        for (var e : after.entrySet()) {
            double spent = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            total += spent;
            r.put(e.getKey(), round(spent));
        }
        r.put("total", round(total));
        r.put("wallSeconds", round(wall));
        r.put("coresBusy", round(total / wall));
        return r;
    }

    // ---- helpers

    private static Path respoolJar() {
        String cp = System.getProperty("java.class.path");
        if (cp != null && !cp.contains(java.io.File.pathSeparator) && cp.endsWith(".jar")
                && Path.of(cp).getFileName().toString().startsWith("respool")) {
            return Path.of(cp).toAbsolutePath();
        }
        return null;
    }

    private static String jcmd() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    }

    private static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                output = String.join("\n", r.lines().toList());
            }
            p.waitFor(5, TimeUnit.MINUTES);
            return output;
        } catch (IOException e) {
            return "(" + command + " failed: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("cpuModel", cpuModel());
        m.put("memoryGiB", memoryGiB());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("started", Instant.now().toString());
        return m;
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static long memoryGiB() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")) >> 20).findFirst().orElse(0L);
        } catch (IOException e) {
            return 0;
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not done within " + timeout);
            }
            sleep(1000);
        }
    }

    private void say(String format, Object... args) {
        log.printf(Locale.ROOT, "[%s] " + format + "%n", prepend(Instant.now().toString().substring(11, 19), args));
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    /** An informer handler that passes every added and updated object to {@code seen} (deletions do not count here). */
    private static <T> ResourceEventHandler<T> onAddOrUpdate(Consumer<T> seen) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                seen.accept(obj);
            }

            @Override
            public void onUpdate(T old, T obj) {
                seen.accept(obj);
            }

            @Override
            public void onDelete(T obj, boolean unknownFinalState) {
            }
        };
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }

    /** Small statistics over collections of longs and doubles. */
    private static final class Collections2 {
        static long max(java.util.Collection<Long> values) {
            return values.stream().mapToLong(Long::longValue).max().orElse(0);
        }

        static double percentile(java.util.Collection<Long> values, double q) {
            long[] v = values.stream().mapToLong(Long::longValue).sorted().toArray();
            return v.length == 0 ? 0 : v[(int) Math.min(v.length - 1, Math.ceil(q * v.length) - 1 < 0 ? 0
                    : Math.ceil(q * v.length) - 1)];
        }

        static double percentileD(List<Double> values, double q) {
            double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (v.length == 0) {
                return 0;
            }
            int i = (int) Math.ceil(q * v.length) - 1;
            return v[Math.max(0, Math.min(v.length - 1, i))];
        }
    }
}
