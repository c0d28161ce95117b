package io.respool.demo.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.respool.api.Container;
import io.respool.api.VirtualMachine;
import io.respool.demo.AuditLog;
import io.respool.demo.Burst;
import io.respool.demo.LocalCluster;
import io.respool.demo.OperatorProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas in JVMs of their own, electing a leader on a Lease, as the Deployment runs
 * them. The leader is SIGKILLed; the standby takes over within 30 s and finishes the work, and the
 * audit log shows that the two never both wrote: the standby wrote nothing but the Lease until it
 * led, and no object has writes from one replica between writes of the other. Nothing alpha placed
 * is moved by bravo: it plans from the admissions and nodes in status when it takes over, not from
 * the placements it made itself as a standby.
 */
class LeaderElectionE2E extends E2ESupport {

    private static final Set<String> WRITES = Set.of("create", "update", "patch", "delete", "deletecollection");
    private final List<OperatorProcess> operators = new ArrayList<>();

    @Override
    protected LocalCluster.Options localOptions() {
        return super.localOptions().withAuditLog(true);
    }

    @AfterEach
    void stopOperators() {
        operators.forEach(OperatorProcess::close);
    }

    private String holder() {
        Lease lease = client.leases().inNamespace("default").withName("respool-operator").get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    private void awaitConverged(int containers, int vms) {
        eventually(Duration.ofSeconds(180), () -> {
            List<Container> cts = containers();
            List<VirtualMachine> machines = virtualMachines();
            assertThat(cts).hasSize(containers);
            assertThat(machines).hasSize(vms);
            assertThat(notRunning()).isEmpty();
            assertThat(client.pods().inNamespace("burst").list().getItems()).hasSize(containers + vms);
        });
    }

    @Test
    void theStandbyTakesOverWithin30SecondsAndNoObjectIsWrittenByBoth() {
        cluster.createNodes(OperatorRestartE2E.nodes());
        OperatorRestartE2E.pools(client);
        Path dir = ((LocalCluster) cluster).directory().resolve("operators");
        List<String> args = List.of("--leader-election", "--lease-namespace", "default");
        OperatorProcess alpha = OperatorProcess.start(cluster.kubeconfig("respool-1"), "alpha", dir, null, List.of(), args);
        operators.add(alpha);
        alpha.awaitStarted(Duration.ofSeconds(90));
        eventually(Duration.ofSeconds(60), () -> assertThat(holder()).isEqualTo("alpha"));
        OperatorProcess bravo = OperatorProcess.start(cluster.kubeconfig("respool-2"), "bravo", dir, null, List.of(), args);
        operators.add(bravo);
        bravo.awaitStarted(Duration.ofSeconds(90));

        Burst.create(client, OperatorRestartE2E.workloads("a", 240, 60), 8, n -> { });
        awaitConverged(240, 60);
        assertThat(holder()).isEqualTo("alpha");

        Instant killedAt = Instant.now();
        alpha.kill();
        Burst.create(client, OperatorRestartE2E.workloads("b", 80, 20), 8, n -> { });
        eventually(Duration.ofSeconds(60), () -> assertThat(holder()).isEqualTo("bravo"));
        Duration takeover = Duration.between(killedAt, Instant.now());
        awaitConverged(320, 80);
        Duration converged = Duration.between(killedAt, Instant.now());
        assertThat(takeover).isLessThan(Duration.ofSeconds(30));

        List<AuditLog.Entry> writes = AuditLog.read(((LocalCluster) cluster).auditLog()).stream()
                .filter(e -> e.succeeded() && WRITES.contains(e.verb()) && e.user().startsWith("respool-")
                        // access reviews are questions, not writes
                        && !"authorization.k8s.io".equals(e.apiGroup()) && !"authentication.k8s.io".equals(e.apiGroup()))
                .sorted(Comparator.comparing(AuditLog.Entry::at)).toList();
        List<AuditLog.Entry> leaseWrites = writes.stream().filter(e -> "leases".equals(e.resource())).toList();
        Instant bravoLeads = leaseWrites.stream().filter(e -> e.user().equals("respool-2")).map(AuditLog.Entry::at)
                .findFirst().orElseThrow();
        List<AuditLog.Entry> work = writes.stream().filter(e -> !"leases".equals(e.resource())).toList();

        // No object has a write by one replica between two writes by the other.
        Map<String, List<AuditLog.Entry>> byObject = work.stream()
                .collect(Collectors.groupingBy(AuditLog.Entry::object, TreeMap::new, Collectors.toList()));
        int both = 0;
        List<String> interleaved = new ArrayList<>();
        for (var e : byObject.entrySet()) {
            List<String> writers = e.getValue().stream().map(AuditLog.Entry::user).toList();
            int switches = 0;
            for (int i = 1; i < writers.size(); i++) {
                if (!writers.get(i).equals(writers.get(i - 1))) {
                    switches++;
                }
            }
            if (switches > 1 || switches == 1 && !writers.get(0).equals("respool-1")) {
                interleaved.add(e.getKey() + " written in this order by " + writers);
            } else if (switches == 1) {
                both++;
            }
        }
        System.out.printf("LeaderElectionE2E: takeover %d ms after SIGKILL, all 400 converged after %d ms;"
                        + " writes: %d by alpha, %d by bravo (%d objects), %d objects written by alpha before and bravo"
                        + " after the takeover%n", takeover.toMillis(), converged.toMillis(),
                work.stream().filter(e -> e.user().equals("respool-1")).count(),
                work.stream().filter(e -> e.user().equals("respool-2")).count(),
                byObject.values().stream().filter(l -> l.stream().anyMatch(e -> e.user().equals("respool-2"))).count(),
                both);

        assertThat(interleaved).isEmpty();
        // The standby wrote nothing (not even an Event) before it held the Lease ...
        assertThat(work).filteredOn(e -> e.user().equals("respool-2") && e.at().isBefore(bravoLeads)).isEmpty();
        // ... and the killed leader nothing after its death.
        assertThat(writes).filteredOn(e -> e.user().equals("respool-1") && e.at().isAfter(killedAt.plusSeconds(1)))
                .isEmpty();

        // Nothing alpha placed is moved: bravo planned from the statuses alpha wrote, not from its own
        // standby placements, so it deletes no pod to recreate it on another node.
        long moved = work.stream().filter(e -> e.user().equals("respool-2") && e.verb().equals("delete")
                && "pods".equals(e.resource()) && "burst".equals(e.namespace())).count();
        assertThat(moved).as("pods alpha had placed that bravo deleted after taking over (to recreate them"
                + " elsewhere: a plan from its own standby placements instead of the statuses)").isZero();
    }
}
