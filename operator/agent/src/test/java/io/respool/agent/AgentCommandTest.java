package io.respool.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code respool agent --plan-file FILE --once}: one pass without a cluster, the status printed. */
class AgentCommandTest {

    static final String A = "0a1b2c3d-0000-4000-8000-00000000000a";

    @TempDir
    Path tmp;

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new AgentCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void appliesAPlanFileOnceAndPrintsTheStatus() throws Exception {
        FakeCgroupTree tree = FakeCgroupTree.v2(tmp.resolve("cgroup"));
        String pod = "kubepods/burstable/pod" + A;
        tree.v2Parent("kubepods").v2Parent("kubepods/burstable").cgroup(pod, FakeCgroupTree.V2_POD_FILES);
        Path plan = tmp.resolve("plan.yaml");
        Files.writeString(plan, """
                apiVersion: respool.io/v1alpha1
                kind: NodeResourcePlan
                metadata: {name: node-1, generation: 3}
                spec:
                  nodeName: node-1
                  workloads:
                  - kind: VirtualMachine
                    namespace: payments
                    name: db
                    podUID: %s
                    cpu: {weight: 2000, floor: 2000, cap: 4000, shares: 4000}
                    memory: {weight: 8589934592, floor: 8589934592, cap: 8589934592, shares: 81920}
                    networkEgress: {weight: 100000000, floor: 0, cap: 100000000, shares: 1000}
                """.formatted(A));

        Run r = run("--plan-file", plan.toString(), "--once", "--cgroup-root", tree.root().toString(),
                "--sys-block", tmp.resolve("none").toString());

        assertThat(r.status()).as(r.err()).isZero();
        // 2 cpus → 2048 shares → weight 200; cap 4 cpus → 400000 per 100 ms.
        assertThat(tree.read(pod + "/cpu.weight")).isEqualTo("200");
        assertThat(tree.read(pod + "/cpu.max")).isEqualTo("400000 100000");
        assertThat(tree.read(pod + "/memory.min")).isEqualTo("8589934592");
        assertThat(r.out()).contains("observedGeneration: 3").contains("cgroupVersion: \"v2\"")
                .contains("cgroupDriver: \"cgroupfs\"").contains("cgroupPath: \"" + pod + "\"")
                .contains("reason: \"NotImplemented\"").contains("type: \"Enforced\"");
    }

    @Test
    void badUsageExitsWithTwoAndSaysWhy() throws Exception {
        assertThat(run("--once").err()).contains("--once needs --plan-file");
        Run noNode = run("--node-name", "", "--cgroup-root", tmp.toString());
        assertThat(noNode.status()).isEqualTo(2);
        assertThat(noNode.err()).contains("no node name");
        Path bad = tmp.resolve("bad.yaml");
        Files.writeString(bad, "kind: [");
        Run unreadable = run("--plan-file", bad.toString(), "--once");
        assertThat(unreadable.status()).isEqualTo(2);
        assertThat(unreadable.err()).contains("cannot read " + bad);
        Run badDriver = run("--cgroup-driver", "upstart", "--node-name", "n");
        assertThat(badDriver.status()).isEqualTo(2);
        assertThat(badDriver.err()).contains("use cgroupfs or systemd");
        assertThat(List.of(run("--drift-period", "soon", "--node-name", "n").status())).containsExactly(2);
    }
}
