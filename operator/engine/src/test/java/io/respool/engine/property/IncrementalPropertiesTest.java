package io.respool.engine.property;

import io.respool.engine.Allocation;
import io.respool.engine.ClusterSpec;
import io.respool.engine.Dimension;
import io.respool.engine.Engine;
import io.respool.engine.EngineState;
import io.respool.engine.Plan;
import io.respool.engine.PoolStatus;
import io.respool.engine.WorkloadSpec;
import io.respool.engine.WorkloadStatus;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The incremental engine the operator uses ({@link EngineState}) against a full recompute: after
 * every change it must hold exactly the plan that {@link Engine#compute} gives for the same input,
 * and report as changed every status that differs from the previous plan (reporting an unchanged
 * one too only costs the operator a no-op status write, so it is allowed).
 */
class IncrementalPropertiesTest {

    /** What happens to a workload: its demand, its reservation, it stops or starts, the operator feeds its admission back, or a new one arrives. */
    enum ChangeKind { DEMAND, RESERVATION, RUNNING, FEED_BACK, NEW }

    record Change(ChangeKind kind, int pick, int units, ClusterArbitraries.WorkloadGene newcomer) {
    }

    @Provide
    Arbitrary<GeneratedCluster> clusters() {
        return ClusterArbitraries.clusters();
    }

    @Provide
    Arbitrary<List<Change>> changes() {
        return Combinators.combine(
                // Demand reports are what the operator sees most, and what EngineState updates in place.
                Arbitraries.frequency(Tuple.of(6, ChangeKind.DEMAND), Tuple.of(1, ChangeKind.RESERVATION),
                        Tuple.of(1, ChangeKind.RUNNING), Tuple.of(2, ChangeKind.FEED_BACK), Tuple.of(1, ChangeKind.NEW)),
                Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(0, 40),
                ClusterArbitraries.workload()
        ).as(Change::new).list().ofMinSize(1).ofMaxSize(12);
    }

    /** Applies a change to the current input; returns the changed (or new) workload. */
    static WorkloadSpec apply(Change c, List<WorkloadSpec> workloads, Plan plan, GeneratedCluster cluster, int serial) {
        if (c.kind() == ChangeKind.NEW || workloads.isEmpty()) {
            return ClusterArbitraries.workload(c.newcomer(), "late" + serial, cluster.spec().pools().size(),
                    cluster.dims(), 5000 + serial);
        }
        WorkloadSpec w = workloads.get(c.pick() % workloads.size());
        Dimension d = cluster.dims().get(c.pick() % cluster.dims().size());
        long value = c.units() * ClusterArbitraries.unit(d);
        return switch (c.kind()) {
            case DEMAND -> {
                Map<Dimension, Long> demand = new EnumMap<>(Dimension.class);
                demand.putAll(w.demand());
                demand.put(d, value);
                yield new WorkloadSpec(w.kind(), w.namespace(), w.name(), w.pool(), w.vcpus(), w.memorySize(),
                        w.allocations(), demand, w.nodeSelector(), w.running(), w.admitted(), w.node(), w.order());
            }
            case RESERVATION -> {
                Allocation a = w.allocation(d);
                long r = Math.min(value, a.limit());
                Map<Dimension, Allocation> allocations = new EnumMap<>(Dimension.class);
                allocations.putAll(w.allocations());
                allocations.put(d, a.withReservation(Math.min(r, Reference.vmSize(w, d))));
                yield new WorkloadSpec(w.kind(), w.namespace(), w.name(), w.pool(), w.vcpus(), w.memorySize(),
                        allocations, w.demand(), w.nodeSelector(), w.running(), w.admitted(), w.node(), w.order());
            }
            case RUNNING -> new WorkloadSpec(w.kind(), w.namespace(), w.name(), w.pool(), w.vcpus(), w.memorySize(),
                    w.allocations(), w.demand(), w.nodeSelector(), !w.running(), w.admitted(), w.node(), w.order());
            case FEED_BACK -> {
                WorkloadStatus s = plan.workloads().stream().filter(x -> x.key().equals(w.key())).findFirst().orElseThrow();
                yield s.admitted() ? Feedback.admittedOn(w, s.node()) : w;
            }
            case NEW -> throw new IllegalStateException();
        };
    }

    /**
     * A sequence of changes through {@link EngineState#updateWorkload}: after each, the state's
     * plan equals a full recompute of the same input, and the update names at least the workloads
     * and pools whose status differs from the plan before.
     */
    @Property(tries = 1000)
    void incrementalUpdatesEqualAFullRecompute(@ForAll("clusters") GeneratedCluster c,
                                               @ForAll("changes") List<Change> changes) {
        EngineState state = Engine.prepare(c.spec());
        List<WorkloadSpec> workloads = new ArrayList<>(c.spec().workloads());
        Plan before = state.plan();
        if (!before.equals(Engine.compute(c.spec()))) {
            throw new AssertionError("prepared state differs from a full recompute");
        }
        int serial = 0;
        List<String> history = new ArrayList<>();
        for (Change change : changes) {
            WorkloadSpec changed = apply(change, workloads, before, c, serial++);
            history.add(change.kind() + " " + new GeneratedCluster(new ClusterSpec(List.of(), List.of(changed),
                    List.of(), Map.of()), c.dims()).toString().trim());
            int at = -1;
            for (int i = 0; i < workloads.size(); i++) {
                if (workloads.get(i).key().equals(changed.key())) {
                    at = i;
                }
            }
            if (at < 0) {
                workloads.add(changed);
            } else {
                workloads.set(at, changed);
            }
            EngineState.Update update;
            try {
                update = state.updateWorkload(changed);
            } catch (RuntimeException e) {
                throw new AssertionError("EngineState.updateWorkload failed; changes so far:\n  "
                        + String.join("\n  ", history), e);
            }
            Plan full = Engine.compute(new ClusterSpec(c.spec().pools(), workloads, c.spec().nodes(),
                    c.spec().namespaceLabels()));
            if (!update.plan().equals(full) || !state.plan().equals(full)) {
                throw new AssertionError("the incremental plan differs from a full recompute; changes:\n  "
                        + String.join("\n  ", history) + diff(update.plan(), full));
            }
            Set<String> expectedWorkloads = new HashSet<>();
            Map<String, WorkloadStatus> old = new HashMap<>();
            before.workloads().forEach(s -> old.put(s.key(), s));
            full.workloads().forEach(s -> {
                if (!Objects.equals(old.get(s.key()), s)) {
                    expectedWorkloads.add(s.key());
                }
            });
            Set<String> expectedPools = new HashSet<>();
            Map<String, PoolStatus> oldPools = new HashMap<>();
            before.pools().forEach(p -> oldPools.put(p.name(), p));
            full.pools().forEach(p -> {
                if (!Objects.equals(oldPools.get(p.name()), p)) {
                    expectedPools.add(p.name());
                }
            });
            Set<String> reportedWorkloads = new HashSet<>();
            update.changedWorkloads().forEach(s -> reportedWorkloads.add(s.key()));
            Set<String> reportedPools = new HashSet<>();
            update.changedPools().forEach(p -> reportedPools.add(p.name()));
            if (!reportedWorkloads.containsAll(expectedWorkloads) || !reportedPools.containsAll(expectedPools)) {
                throw new AssertionError("changes:\n  " + String.join("\n  ", history) + "\nthe update reports workloads "
                        + reportedWorkloads + " and pools " + reportedPools + ", but these changed: " + expectedWorkloads
                        + " and " + expectedPools);
            }
            before = full;
        }
    }

    /** Which nodes go NotReady (bit i: node i); half the time every node but the first. */
    @Provide
    Arbitrary<Integer> lost() {
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(62)),
                Tuple.of(1, Arbitraries.integers().between(1, 63)));
    }

    /**
     * The operator's situation after losing nodes: every earlier admission fed back, some nodes
     * NotReady (capacity below what is reserved, section 4 Overcommitted), then a run of changes:
     * the incremental plan still equals a full recompute after each.
     */
    @Property(tries = 1000)
    void incrementalUpdatesAfterCapacityLossEqualAFullRecompute(@ForAll("clusters") GeneratedCluster c,
                                                                @ForAll("lost") int lost,
                                                                @ForAll("changes") List<Change> changes) {
        ClusterSpec steady = NodeLossPropertiesTest.loseNodes(
                Feedback.withAdmissions(c.spec(), Engine.compute(c.spec()), List.of()), lost);
        incrementalUpdatesEqualAFullRecompute(new GeneratedCluster(steady, c.dims()), changes);
    }

    /** The first workload or pool status that differs between two plans, for failure messages. */
    static String diff(Plan a, Plan b) {
        for (int i = 0; i < Math.min(a.workloads().size(), b.workloads().size()); i++) {
            if (!a.workloads().get(i).equals(b.workloads().get(i))) {
                return "\nincremental: " + a.workloads().get(i) + "\nfull:        " + b.workloads().get(i);
            }
        }
        for (int i = 0; i < Math.min(a.pools().size(), b.pools().size()); i++) {
            if (!a.pools().get(i).equals(b.pools().get(i))) {
                return "\nincremental: " + a.pools().get(i) + "\nfull:        " + b.pools().get(i);
            }
        }
        return "\n(lists, nodes or capacity differ)";
    }
}
