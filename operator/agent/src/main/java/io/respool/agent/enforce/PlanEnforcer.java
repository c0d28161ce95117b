package io.respool.agent.enforce;

import io.respool.agent.AgentConfig;
import io.respool.agent.NodeTargets;
import io.respool.agent.WorkloadTargets;
import io.respool.agent.cgroup.BlockDevice;
import io.respool.agent.cgroup.BlockDevices;
import io.respool.agent.cgroup.CgroupDiscovery;
import io.respool.agent.cgroup.CgroupException;
import io.respool.agent.cgroup.CgroupLayout;
import io.respool.agent.cgroup.CgroupV1Writer;
import io.respool.agent.cgroup.CgroupV2Writer;
import io.respool.agent.cgroup.CgroupVersion;
import io.respool.agent.cgroup.CgroupWriter;
import io.respool.agent.cgroup.Controller;
import io.respool.agent.cgroup.FileOutcome;
import io.respool.agent.cgroup.PodCgroup;
import io.respool.agent.cgroup.PodCgroupLocator;
import io.respool.agent.http.AgentMetrics;
import io.respool.agent.measure.CgroupSampleReader;
import io.respool.agent.measure.Demand;
import io.respool.agent.measure.UsageMeter;
import io.respool.agent.report.DimensionReport;
import io.respool.agent.report.NodeReport;
import io.respool.agent.report.WorkloadReport;
import io.respool.engine.CgroupRenderer;
import io.respool.engine.CgroupValues;
import io.respool.engine.Dimension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass over a node's plan: find each workload's pod cgroup, render its targets with
 * {@link CgroupRenderer} (a VM's memory cap raised by its launcher overhead), write what differs,
 * keep v2 ancestors' memory.min covering their children, measure usage and demand, and say per
 * dimension what is enforced.
 *
 * <p>It remembers what it applied, so a value found different on a later pass (someone else
 * wrote it) is counted and logged as a drift correction, and the value it found before its first
 * write, so a workload leaving the plan gets the kubelet's values back. Problems with one
 * workload never stop the others; nothing here throws.
 */
public final class PlanEnforcer {

    private static final Logger LOG = LoggerFactory.getLogger(PlanEnforcer.class);

    /** What the agent did to one workload's pod cgroup so far. */
    private static final class Owned {
        final PodCgroup pod;
        final Map<String, String> applied = new LinkedHashMap<>();
        final Map<String, String> originals = new HashMap<>();

        Owned(PodCgroup pod) {
            this.pod = pod;
        }
    }

    private final AgentConfig config;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final UsageMeter meter;
    private final Map<String, Owned> owned = new HashMap<>();
    private final Map<Path, String> ancestorsApplied = new HashMap<>();
    /** Pods whose memory.min counted in the last pass: their ancestors are re-summed when they leave. */
    private List<PodCgroup> lastMemoryPods = List.of();
    private final Map<String, String> lastLogged = new HashMap<>();
    private CgroupLayout layout;
    private CgroupWriter writer;
    private PodCgroupLocator locator;
    private EnforcementAssessor assessor;
    private String discoveryProblem;

    public PlanEnforcer(AgentConfig config, AgentMetrics metrics, Clock clock) {
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.meter = new UsageMeter(new CgroupSampleReader(), config.demandTimeConstant().toMillis() / 1000.0);
    }

    /** The layout found, or null while the cgroups cannot be read. */
    public synchronized CgroupLayout layout() {
        return layout;
    }

    /** Applies the plan once and reports. */
    public synchronized NodeReport enforce(NodeTargets plan) {
        discover();
        if (layout == null) {
            List<WorkloadReport> reports = new ArrayList<>();
            for (WorkloadTargets w : plan.workloads()) {
                reports.add(notFound(w, "CgroupUnavailable", discoveryProblem));
            }
            return new NodeReport(plan.nodeName(), plan.generation(), null, null, reports, List.of(),
                    discoveryProblem, clock.instant());
        }
        Map<String, PodCgroup> pods = new LinkedHashMap<>();
        Map<String, List<FileOutcome>> outcomes = new HashMap<>();
        Map<String, WorkloadReport> early = new HashMap<>();
        Set<String> keys = new HashSet<>();
        for (WorkloadTargets w : plan.workloads()) {
            keys.add(w.key());
            try {
                WorkloadReport problem = write(w, pods, outcomes);
                if (problem != null) {
                    early.put(w.key(), problem);
                }
            } catch (RuntimeException e) {
                LOG.error("{}: internal error while applying its targets", w.displayName(), e);
                metrics.error(AgentMetrics.ErrorKind.INTERNAL, 1);
                early.put(w.key(), notFound(w, "InternalError", "internal error: " + e));
            }
        }
        release(keys);
        List<FileOutcome> ancestors = reconcileAncestors(pods, plan);
        meter.retain(pods.keySet());

        List<WorkloadReport> reports = new ArrayList<>();
        for (WorkloadTargets w : plan.workloads()) {
            WorkloadReport r = early.get(w.key());
            if (r == null) {
                r = report(w, pods.get(w.key()), outcomes.get(w.key()), ancestors);
            }
            reports.add(r);
        }
        return new NodeReport(plan.nodeName(), plan.generation(), layout.version(), layout.driver(), reports,
                ancestors, null, clock.instant());
    }

    private void discover() {
        try {
            if (layout == null) {
                layout = CgroupDiscovery.discover(config.cgroupRoot(), config.driver(), config.kubepods());
                List<BlockDevice> devices = BlockDevices.scan(config.sysBlock(), config.blockDevices());
                writer = layout.version() == CgroupVersion.V2 ? new CgroupV2Writer(devices) : new CgroupV1Writer(devices);
                assessor = new EnforcementAssessor(layout, devices);
                locator = new PodCgroupLocator(layout);
                LOG.info("cgroup {} with the {} driver at {}; pods under {}; block devices {}",
                        layout.version().label(), layout.driver().label(), layout.root(),
                        layout.kubepods() == null ? "(not found yet)" : layout.kubepods(),
                        devices.stream().map(d -> d.name() + "=" + d.majMin() + "/" + d.scheduler()).toList());
            } else if (layout.kubepods() == null) {
                CgroupLayout again = CgroupDiscovery.withKubepods(layout, config.driver(), config.kubepods());
                if (again.kubepods() != null) {
                    LOG.info("found the kubelet's pods cgroup {} ({} driver)", again.kubepods(), again.driver().label());
                    layout = again;
                    locator = new PodCgroupLocator(layout);
                }
            }
            discoveryProblem = null;
        } catch (CgroupException e) {
            if (!Objects.equals(discoveryProblem, e.getMessage())) {
                LOG.error("cannot use the node's cgroups: {}", e.getMessage());
            }
            metrics.error(AgentMetrics.ErrorKind.DISCOVERY, 1);
            discoveryProblem = e.getMessage();
        }
    }

    /** Writes one workload's values; returns a report when it cannot be written at all. */
    private WorkloadReport write(WorkloadTargets w, Map<String, PodCgroup> pods,
                                 Map<String, List<FileOutcome>> outcomes) {
        if (w.podUid() == null || w.podUid().isBlank()) {
            forget(w.key());
            return notFound(w, "PodUnknown", "the plan names no pod UID for " + w.displayName()
                    + " yet (the operator has not seen its pod)");
        }
        if (!PodCgroupLocator.validUid(w.podUid())) {
            forget(w.key());
            return notFound(w, "InvalidPodUID", "\"" + w.podUid() + "\" is not a pod UID; nothing written for "
                    + w.displayName());
        }
        PodCgroup pod = locate(w);
        if (pod == null) {
            forget(w.key());
            String where = layout.kubepods() == null
                    ? "no kubepods cgroup under " + layout.root() + " (is the kubelet running here? a non-standard"
                    + " cgroup root needs --kubepods-cgroup)"
                    : "no cgroup for pod " + w.podUid() + " under " + layout.referenceHierarchy().orElseThrow()
                    .resolve(layout.kubepods()) + " (Guaranteed, Burstable and BestEffort places checked): the pod"
                    + " is not on this node or not started yet";
            return notFound(w, "CgroupNotFound", where);
        }
        pods.put(w.key(), pod);
        logOnChange(w.key(), null, w.displayName());
        Owned o = owned.computeIfAbsent(w.key(), k -> new Owned(pod));
        // A VM's memory cap plus its launcher overhead (WorkloadTargets.podCgroupTargets).
        CgroupValues values = CgroupRenderer.render(w.podCgroupTargets());
        List<FileOutcome> result = new ArrayList<>(writer.apply(pod, values));
        Set<String> current = new HashSet<>();
        int wrote = 0;
        int drift = 0;
        int clamped = 0;
        int failed = 0;
        for (FileOutcome f : result) {
            current.add(f.file());
            if (f.wrote()) {
                wrote++;
                String before = o.applied.get(f.file());
                if (before != null && before.equals(f.desired())) {
                    drift++;
                    LOG.info("{}: {} was \"{}\" (changed outside respool); restored \"{}\"", w.displayName(),
                            f.path(), f.previous(), f.desired());
                }
            }
            if (f.status() == FileOutcome.Status.CLAMPED) {
                clamped++;
            }
            if (f.status() == FileOutcome.Status.FAILED) {
                failed++;
            }
            if (f.previous() != null && !f.file().contains("/") && !o.originals.containsKey(f.file())) {
                o.originals.put(f.file(), f.previous());
            }
            if (f.applied()) {
                o.applied.put(f.file(), f.desired());
            }
            logOnChange(w.key() + "|" + f.file(), f.status() == FileOutcome.Status.OK ? null : f.detail(),
                    w.displayName());
        }
        // Files the plan no longer sets (a dimension was dropped): give back what was there before.
        for (String file : List.copyOf(o.applied.keySet())) {
            if (!current.contains(file) && !file.contains("/")) {
                String original = o.originals.get(file);
                if (original != null) {
                    FileOutcome r = writer.restore(pod, file, original);
                    result.add(r);
                    wrote += r.wrote() ? 1 : 0;
                }
                o.applied.remove(file);
                o.originals.remove(file);
            }
        }
        metrics.wrote(wrote);
        metrics.driftCorrected(drift);
        metrics.clamped(clamped);
        metrics.error(AgentMetrics.ErrorKind.WRITE, failed);
        outcomes.put(w.key(), result);
        return null;
    }

    private PodCgroup locate(WorkloadTargets w) {
        Owned o = owned.get(w.key());
        if (o != null && o.pod.podUid().equals(w.podUid())
                && o.pod.dir(referenceController()).map(Files::isDirectory).orElse(false)) {
            return o.pod;
        }
        if (o != null) {
            owned.remove(w.key());
        }
        return locator.locate(w.podUid()).orElse(null);
    }

    private Controller referenceController() {
        return layout.v1Roots().containsKey(Controller.CPU) || layout.version() == CgroupVersion.V2
                ? Controller.CPU : Controller.MEMORY;
    }

    private List<FileOutcome> reconcileAncestors(Map<String, PodCgroup> pods, NodeTargets plan) {
        List<PodCgroup> withMemory = new ArrayList<>();
        for (WorkloadTargets w : plan.workloads()) {
            PodCgroup p = pods.get(w.key());
            if (p != null && w.targets().containsKey(Dimension.MEMORY)) {
                withMemory.add(p);
            }
        }
        // Pods that had memory targets before and still exist: their ancestors' sums changed too.
        List<PodCgroup> affected = new ArrayList<>(withMemory);
        for (PodCgroup p : lastMemoryPods) {
            if (!affected.contains(p) && p.dir(referenceController()).map(Files::isDirectory).orElse(false)) {
                affected.add(p);
            }
        }
        lastMemoryPods = withMemory;
        List<FileOutcome> out;
        try {
            out = writer.reconcileAncestors(affected);
        } catch (RuntimeException e) {
            LOG.error("internal error while raising ancestors' memory.min", e);
            metrics.error(AgentMetrics.ErrorKind.INTERNAL, 1);
            return List.of();
        }
        int wrote = 0;
        int drift = 0;
        int failed = 0;
        for (FileOutcome f : out) {
            if (f.wrote()) {
                wrote++;
                if (f.desired() != null && f.desired().equals(ancestorsApplied.get(f.path()))) {
                    drift++;
                    LOG.info("{} was \"{}\" (changed outside respool); restored \"{}\"", f.path(), f.previous(),
                            f.desired());
                }
            }
            if (f.status() == FileOutcome.Status.FAILED) {
                failed++;
                logOnChange("ancestor|" + f.path(), f.detail(), "ancestor");
            }
            if (f.applied()) {
                ancestorsApplied.put(f.path(), f.desired());
            }
        }
        metrics.wrote(wrote);
        metrics.driftCorrected(drift);
        metrics.error(AgentMetrics.ErrorKind.WRITE, failed);
        return out;
    }

    /** Workloads gone from the plan: put back the values found before the agent wrote. */
    private void release(Set<String> keys) {
        for (String key : List.copyOf(owned.keySet())) {
            if (keys.contains(key)) {
                continue;
            }
            Owned o = owned.remove(key);
            boolean exists = o.pod.dir(referenceController()).map(Files::isDirectory).orElse(false);
            if (!exists) {
                continue;
            }
            for (Map.Entry<String, String> e : o.originals.entrySet()) {
                if (o.applied.containsKey(e.getKey())) {
                    FileOutcome r = writer.restore(o.pod, e.getKey(), e.getValue());
                    if (r.status() == FileOutcome.Status.FAILED) {
                        LOG.warn("{}: could not restore {}: {}", key, e.getKey(), r.detail());
                    }
                }
            }
            LOG.info("{} left the plan: restored the values its pod cgroup {} had before", key, o.pod.relativePath());
        }
    }

    private void forget(String key) {
        owned.remove(key);
    }

    private WorkloadReport report(WorkloadTargets w, PodCgroup pod, List<FileOutcome> outcomes,
                                  List<FileOutcome> ancestors) {
        Map<String, String> applied = new LinkedHashMap<>();
        for (FileOutcome f : outcomes) {
            if (f.applied() && f.effective() != null) {
                applied.put(f.file(), f.effective());
            }
        }
        String podPath = pod.relativePath();
        List<FileOutcome> mine = ancestors.stream()
                .filter(a -> podPath.startsWith(a.file().substring(0, a.file().length() - "/memory.min".length()) + "/"))
                .toList();
        List<DimensionReport> enforcement = assessor.assess(w, outcomes, mine);
        UsageMeter.Measurement m;
        try {
            m = meter.measure(w.key(), pod);
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot measure usage: {}", w.displayName(), e.toString());
            m = new UsageMeter.Measurement(null, Demand.UNKNOWN);
        }
        return new WorkloadReport(w, true, podPath, applied, outcomes, m.usage(), m.demand(), enforcement);
    }

    private WorkloadReport notFound(WorkloadTargets w, String reason, String message) {
        logOnChange(w.key(), reason + ": " + message, w.displayName());
        return new WorkloadReport(w, false, null, Map.of(), List.of(), null, Demand.UNKNOWN,
                EnforcementAssessor.none(w, reason, message));
    }

    /** Logs a problem when it first appears or changes, not on every pass. */
    private void logOnChange(String key, String problem, String who) {
        String before = problem == null ? lastLogged.remove(key) : lastLogged.put(key, problem);
        if (problem != null && !problem.equals(before)) {
            LOG.warn("{}: {}", who, problem);
        } else if (problem == null && before != null) {
            LOG.info("{}: resolved ({})", who, before);
        }
    }
}
