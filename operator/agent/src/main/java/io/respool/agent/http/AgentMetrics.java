package io.respool.agent.http;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent's Prometheus metrics, rendered in the text exposition format by hand (no client
 * library needed for a dozen series). Labels take only fixed values: no per-pod or per-workload
 * series, so the cardinality is the same on every node.
 */
public final class AgentMetrics {

    /** What went wrong, as the {@code kind} label of {@code respool_agent_errors_total}. */
    public enum ErrorKind { WRITE, DISCOVERY, STATUS, INTERNAL }

    /** What started a pass, as the {@code trigger} label of {@code respool_agent_passes_total}. */
    public enum Trigger { PLAN, PERIODIC }

    private final LongAdder writes = new LongAdder();
    private final LongAdder driftCorrections = new LongAdder();
    private final LongAdder clamped = new LongAdder();
    private final Map<ErrorKind, LongAdder> errors = new EnumMap<>(ErrorKind.class);
    private final Map<Trigger, LongAdder> passes = new EnumMap<>(Trigger.class);
    private final LongAdder passNanos = new LongAdder();
    private final LongAdder statusWrites = new LongAdder();
    private final AtomicLong workloadsEnforced = new AtomicLong();
    private final AtomicLong workloadsPartial = new AtomicLong();
    private final AtomicLong workloadsNotFound = new AtomicLong();
    private final AtomicLong lastPassMillis = new AtomicLong();
    private final AtomicLong generation = new AtomicLong();

    public AgentMetrics() {
        for (ErrorKind k : ErrorKind.values()) {
            errors.put(k, new LongAdder());
        }
        for (Trigger t : Trigger.values()) {
            passes.put(t, new LongAdder());
        }
    }

    public void wrote(int files) {
        writes.add(files);
    }

    public void driftCorrected(int files) {
        driftCorrections.add(files);
    }

    public void clamped(int files) {
        clamped.add(files);
    }

    public void error(ErrorKind kind, int count) {
        errors.get(kind).add(count);
    }

    public void statusWritten() {
        statusWrites.increment();
    }

    public void pass(Trigger trigger, long nanos, long generation, int enforced, int partial, int notFound,
                     long endMillis) {
        passes.get(trigger).increment();
        passNanos.add(nanos);
        this.generation.set(generation);
        workloadsEnforced.set(enforced);
        workloadsPartial.set(partial);
        workloadsNotFound.set(notFound);
        lastPassMillis.set(endMillis);
    }

    public long writes() {
        return writes.sum();
    }

    public long driftCorrections() {
        return driftCorrections.sum();
    }

    public long errors(ErrorKind kind) {
        return errors.get(kind).sum();
    }

    /** The text exposition format, version 0.0.4. */
    public String render() {
        StringBuilder sb = new StringBuilder(2048);
        counter(sb, "respool_agent_cgroup_writes_total", "cgroup files written (unchanged files are not written)",
                writes.sum());
        counter(sb, "respool_agent_drift_corrections_total",
                "cgroup files found changed behind the agent's back and restored", driftCorrections.sum());
        counter(sb, "respool_agent_clamped_values_total",
                "values outside the kernel's range (or unsafe) that were clamped before writing", clamped.sum());
        header(sb, "respool_agent_errors_total", "counter", "errors by kind: write (a cgroup file), discovery"
                + " (no usable cgroup hierarchy), status (writing the plan status), internal");
        errors.forEach((k, v) -> sb.append("respool_agent_errors_total{kind=\"")
                .append(k.name().toLowerCase(Locale.ROOT)).append("\"} ").append(v.sum()).append('\n'));
        header(sb, "respool_agent_passes_total", "counter", "passes over the node's plan, by what started them");
        passes.forEach((k, v) -> sb.append("respool_agent_passes_total{trigger=\"")
                .append(k.name().toLowerCase(Locale.ROOT)).append("\"} ").append(v.sum()).append('\n'));
        counter(sb, "respool_agent_pass_seconds_total", "time spent in passes", passNanos.sum() / 1e9);
        counter(sb, "respool_agent_status_writes_total", "status updates sent to the API server", statusWrites.sum());
        header(sb, "respool_agent_workloads", "gauge", "workloads of the plan after the last pass, by state");
        sb.append("respool_agent_workloads{state=\"enforced\"} ").append(workloadsEnforced.get()).append('\n');
        sb.append("respool_agent_workloads{state=\"partial\"} ").append(workloadsPartial.get()).append('\n');
        sb.append("respool_agent_workloads{state=\"not_found\"} ").append(workloadsNotFound.get()).append('\n');
        gauge(sb, "respool_agent_plan_generation", "generation of the plan last applied", generation.get());
        gauge(sb, "respool_agent_last_pass_timestamp_seconds", "when the last pass ended (Unix time)",
                lastPassMillis.get() / 1000.0);
        return sb.toString();
    }

    private static void counter(StringBuilder sb, String name, String help, double value) {
        header(sb, name, "counter", help);
        sb.append(name).append(' ').append(format(value)).append('\n');
    }

    private static void gauge(StringBuilder sb, String name, String help, double value) {
        header(sb, name, "gauge", help);
        sb.append(name).append(' ').append(format(value)).append('\n');
    }

    private static void header(StringBuilder sb, String name, String type, String help) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
