package io.respool.agent.kernel;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A kubelet-shaped cgroup v1 subtree on the real kernel, owned by one test class:
 * {@code /sys/fs/cgroup/<controller>/respool-test-<random>/kubepods/{burstable,besteffort}/pod<uid>}
 * in the cpu, cpuacct, memory and blkio hierarchies, and the processes started in it. Closing it
 * kills every process and removes every cgroup it created, deepest first.
 */
final class KernelV1Tree implements AutoCloseable {

    static final Path ROOT = Path.of("/sys/fs/cgroup");
    static final List<String> CONTROLLERS = List.of("cpu", "cpuacct", "memory", "blkio");

    private final String name = "respool-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Process> processes = new ArrayList<>();

    /** Why the kernel tests cannot run here, or null when they can. */
    static String unusableReason() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return "not Linux";
        }
        if (Files.isRegularFile(ROOT.resolve("cgroup.controllers"))) {
            return ROOT + " is a cgroup v2 hierarchy; these tests need the v1 controllers";
        }
        for (String c : CONTROLLERS) {
            if (!Files.isRegularFile(ROOT.resolve(c).resolve("cgroup.procs"))) {
                return "no cgroup v1 " + c + " controller mounted at " + ROOT.resolve(c);
            }
        }
        Path probe = ROOT.resolve("cpu").resolve("respool-probe-" + ProcessHandle.current().pid());
        try {
            Files.createDirectory(probe);
            Files.delete(probe);
        } catch (IOException e) {
            return "cannot create a cgroup under " + ROOT.resolve("cpu") + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "): run as root on a host with writable cgroup v1 controllers";
        }
        if (!onPath("taskset")) {
            return "taskset (util-linux) is not installed: busy processes cannot be pinned to one cpu";
        }
        return null;
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    /** The last cpu: the busy processes all run there, so they compete with each other. */
    static int cpu() {
        return Runtime.getRuntime().availableProcessors() - 1;
    }

    KernelV1Tree() throws IOException {
        for (String c : CONTROLLERS) {
            Files.createDirectories(ROOT.resolve(c).resolve(name).resolve("kubepods/burstable"));
            Files.createDirectories(ROOT.resolve(c).resolve(name).resolve("kubepods/besteffort"));
        }
    }

    /** The kubepods path the agent is pointed at, relative to each hierarchy root. */
    String kubepods() {
        return name + "/kubepods";
    }

    /** Creates {@code kubepods/<qos>/pod<uid>} in every hierarchy; returns a fresh UID. */
    String pod(String qos) throws IOException {
        String uid = UUID.randomUUID().toString();
        for (String c : CONTROLLERS) {
            Files.createDirectories(dir(c, qos, uid));
        }
        return uid;
    }

    Path dir(String controller, String qos, String uid) {
        return ROOT.resolve(controller).resolve(name).resolve("kubepods").resolve(qos).resolve("pod" + uid);
    }

    /** Creates a container-level cgroup inside a pod in the cpu and cpuacct hierarchies. */
    Path container(String qos, String uid, String container) throws IOException {
        for (String c : CONTROLLERS) {
            Files.createDirectories(dir(c, qos, uid).resolve(container));
        }
        return dir("cpu", qos, uid).resolve(container);
    }

    /** A busy loop on {@link #cpu()}, running inside the pod's cgroups (or a container in it). */
    Process busy(String qos, String uid, String container) throws IOException {
        return start(qos, uid, container, List.of("taskset", "-c", Integer.toString(cpu()),
                "sh", "-c", "read go; while :; do :; done"));
    }

    /**
     * Starts {@code command} held at a "read go" prompt, moves it into the pod's cgroups in every
     * hierarchy, then lets it go, so everything it does is charged to the pod.
     */
    Process start(String qos, String uid, String container, List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        processes.add(p);
        for (String c : CONTROLLERS) {
            Path d = dir(c, qos, uid);
            if (container != null) {
                d = d.resolve(container);
            }
            Files.writeString(d.resolve("cgroup.procs"), Long.toString(p.pid()));
        }
        OutputStream in = p.getOutputStream();
        in.write("go\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        return p;
    }

    /**
     * Sets the cpu.shares of the test subtree's top cgroup (its weight against everything else on
     * the machine), returning the previous value.
     */
    String topShares(String shares) throws IOException {
        Path f = ROOT.resolve("cpu").resolve(name).resolve("cpu.shares");
        String before = Files.readString(f).trim();
        Files.writeString(f, shares);
        return before;
    }

    /** cpuacct.usage of the pod, nanoseconds. */
    long cpuNanos(String qos, String uid) throws IOException {
        return Long.parseLong(Files.readString(dir("cpuacct", qos, uid).resolve("cpuacct.usage")).trim());
    }

    String read(String controller, String qos, String uid, String file) throws IOException {
        return Files.readString(dir(controller, qos, uid).resolve(file)).trim();
    }

    void write(String controller, String qos, String uid, String file, String value) throws IOException {
        Files.writeString(dir(controller, qos, uid).resolve(file), value);
    }

    void stop(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<String> failures = new ArrayList<>();
        for (String c : CONTROLLERS) {
            Path top = ROOT.resolve(c).resolve(name);
            if (!Files.exists(top)) {
                continue;
            }
            List<Path> dirs;
            try (Stream<Path> s = Files.walk(top)) {
                dirs = s.filter(Files::isDirectory).sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                        .toList();
            }
            for (Path d : dirs) {
                removeWithRetry(d, failures);
            }
        }
        if (!failures.isEmpty()) {
            throw new IOException("could not remove test cgroups: " + failures);
        }
    }

    private static void removeWithRetry(Path dir, List<String> failures) {
        for (int attempt = 0; ; attempt++) {
            try {
                Files.delete(dir);
                return;
            } catch (IOException e) {
                if (attempt == 50) {
                    failures.add(dir + ": " + e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(20); // a killed task may take a moment to leave the cgroup
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    failures.add(dir + ": interrupted");
                    return;
                }
            }
        }
    }
}
