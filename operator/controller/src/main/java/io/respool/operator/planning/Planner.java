package io.respool.operator.planning;

import io.respool.operator.cluster.ClusterSnapshot;
import io.respool.operator.metrics.PlannerMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the engine over the whole cluster, batched. Any change of the engine's input marks the
 * input dirty; one planner thread runs the engine once the changes pause for {@code quietPeriod},
 * at the latest {@code maxDelay} after the first unplanned change, and never sooner than
 * {@code minInterval} after the previous run. A lone change is planned within the quiet period; a
 * stream of changes, however long and however dense, costs at most one run per
 * {@code minInterval} (and one per {@code maxDelay} when it is denser than the quiet period): a
 * burst of 10,000 new objects costs a few dozen runs, not 10,000.
 *
 * <p>After each run the listeners get the previous and the new result: they trigger the
 * reconciles of the objects whose part of the plan changed.
 *
 * <p>A replica that becomes leader calls {@link #replanFromStatuses()} before it reconciles: the
 * decisions it made as a standby were never written, the previous leader's are in status.
 */
public final class Planner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Planner.class);

    private final Supplier<ClusterSnapshot> snapshots;
    private final AdmissionLedger ledger = new AdmissionLedger();
    private final PlanBuilder builder = new PlanBuilder(ledger);
    /** One engine run at a time: the planner thread's, or the caller's of {@link #replanFromStatuses()}. */
    private final Object runLock = new Object();
    private final PlannerMetrics metrics;
    private final long quietNanos;
    private final long maxDelayNanos;
    private final long minIntervalNanos;
    private long lastRun = Long.MIN_VALUE / 2;
    private final List<PlanListener> listeners = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private boolean dirty;
    private long firstChange;
    private long lastChange;
    private boolean closed;
    private final AtomicLong sequence = new AtomicLong();
    private volatile PlanResult latest;
    private volatile boolean lastRunFailed;
    private List<String> lastNodeProblems = List.of();
    private Thread thread;

    /**
     * @param snapshots the engine's input at the moment of a run (in the operator:
     *                  {@link io.respool.operator.cluster.ClusterCache#snapshot()})
     */
    public Planner(Supplier<ClusterSnapshot> snapshots, PlannerMetrics metrics, Duration quietPeriod,
                   Duration minInterval, Duration maxDelay) {
        this.snapshots = snapshots;
        this.metrics = metrics;
        this.quietNanos = quietPeriod.toNanos();
        this.minIntervalNanos = minInterval.toNanos();
        this.maxDelayNanos = Math.max(quietPeriod.toNanos(), maxDelay.toNanos());
    }

    public void addListener(PlanListener listener) {
        listeners.add(listener);
    }

    /** The latest result, or null before the first run. */
    public PlanResult latest() {
        return latest;
    }

    /** Whether the last run succeeded (health). */
    public boolean healthy() {
        return !lastRunFailed;
    }

    /** Notes a change of the engine's input: a run follows within the quiet period or the max delay. */
    public void markDirty() {
        synchronized (lock) {
            long now = System.nanoTime();
            if (!dirty) {
                dirty = true;
                firstChange = now;
            }
            lastChange = now;
            lock.notifyAll();
        }
    }

    /** Plans once now, on the calling thread (start-up), then starts the planner thread. */
    public void start() {
        synchronized (lock) {
            dirty = false;
        }
        runOnce(false);
        thread = Thread.ofPlatform().name("respool-planner").daemon().start(this::loop);
    }

    private void loop() {
        while (true) {
            synchronized (lock) {
                try {
                    while (!dirty && !closed) {
                        lock.wait();
                    }
                    while (!closed) {
                        long now = System.nanoTime();
                        long due = Math.max(Math.min(lastChange + quietNanos, firstChange + maxDelayNanos),
                                lastRun + minIntervalNanos);
                        if (now - due >= 0) {
                            break;
                        }
                        long waitNanos = due - now;
                        lock.wait(Math.max(1, (waitNanos + 999_999) / 1_000_000));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (closed) {
                    return;
                }
                dirty = false;
            }
            runOnce(false);
            synchronized (lock) {
                lastRun = System.nanoTime();
            }
        }
    }

    /**
     * Forgets every admission decision this planner made, takes each workload's from its status
     * again (as at start-up) and plans once, on the calling thread, before returning. For a replica
     * that has just become leader: as a standby it planned without writing, so its admissions and
     * nodes are its own (made when the workloads had no status yet, and never revised: status is
     * not the planner's input), while the statuses hold what the previous leader decided and
     * created. The listeners get no previous plan, as after the first run, so everything counts as
     * changed. Should the run fail, there is no latest plan until a run succeeds: nothing acts on
     * the decisions just forgotten.
     */
    public void replanFromStatuses() {
        synchronized (runLock) {
            ledger.clear();
            if (!runOnce(true)) {
                latest = null;
            }
        }
    }

    /** @param fresh whether the listeners should take this run as the first */
    private boolean runOnce(boolean fresh) {
        synchronized (runLock) {
            long start = System.nanoTime();
            PlanResult previous = fresh ? null : latest;
            PlanResult next;
            try {
                ClusterSnapshot snapshot = snapshots.get();
                List<String> nodeProblems = new ArrayList<>();
                next = builder.build(snapshot, sequence.incrementAndGet(), nodeProblems);
                if (!nodeProblems.equals(lastNodeProblems)) {
                    nodeProblems.forEach(p -> log.warn("node left out of planning: {}", p));
                    lastNodeProblems = nodeProblems;
                }
            } catch (RuntimeException e) {
                lastRunFailed = true;
                log.error("planning failed; the previous plan stays in force until the next change", e);
                return false;
            }
            lastRunFailed = false;
            latest = next;
            metrics.recorded(next, Duration.ofNanos(System.nanoTime() - start));
            log.debug("plan {}: {} pools, {} workloads, {} nodes in {} ms", next.sequence(), next.pools().size(),
                    next.workloads().size(), next.nodes().size(), next.took().toMillis());
            for (PlanListener l : listeners) {
                try {
                    l.planned(previous, next);
                } catch (RuntimeException e) {
                    log.error("plan listener {} failed", l, e);
                }
            }
            return true;
        }
    }

    /** Number of engine runs so far. */
    public long runs() {
        return sequence.get();
    }

    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
