package io.respool.operator.controller;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.respool.api.VirtualMachine;
import io.respool.api.VirtualMachineStatus;
import io.respool.operator.cluster.ClusterCache;
import io.respool.operator.cluster.Labels;
import io.respool.operator.owned.KubeVirt;
import io.respool.operator.owned.KubeVirtVirtualMachine;
import io.respool.operator.owned.Owners;
import io.respool.operator.planning.PlanResult.WorkloadView;
import io.respool.operator.planning.Planner;
import io.respool.operator.planning.ReconcileTriggers;
import io.respool.operator.status.Statuses;
import io.respool.operator.status.WorkloadStatusBuilder;
import io.respool.operator.status.WorkloadStatusBuilder.Observation;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A respool {@code VirtualMachine}: its status from the plan, then its KubeVirt VirtualMachine
 * (written after the status that records the admission, as for containers). KubeVirt runs it and
 * applies its runStrategy; respool mirrors KubeVirt's printableStatus into the phase and the Ready
 * condition. Without KubeVirt the VM still goes through admission and reports
 * {@code Ready=False, reason KubeVirtNotInstalled}; its KubeVirt VM is created as soon as KubeVirt's
 * CRD is established (the cache watches for it).
 */
@ControllerConfiguration(name = "virtualmachine", fieldManager = Labels.FIELD_MANAGER)
public final class VirtualMachineReconciler implements Reconciler<VirtualMachine> {

    public static final String KUBEVIRT_NOT_INSTALLED = "KubeVirtNotInstalled";

    private static final Logger log = LoggerFactory.getLogger(VirtualMachineReconciler.class);
    private static final Set<String> STOPPED = Set.of("Stopped", "Stopping", "Halted", "Terminating");
    private static final Set<String> STARTING = Set.of("Provisioning", "Starting", "WaitingForVolumeBinding",
            "WaitingForReceiver");
    private static final Set<String> RUNNING = Set.of("Running", "Migrating", "Paused");

    private final KubernetesClient client;
    private final Planner planner;
    private final ClusterCache cache;
    private final ReconcileTriggers triggers;
    private final EventRecorder events;

    public VirtualMachineReconciler(KubernetesClient client, Planner planner, ClusterCache cache,
                                    ReconcileTriggers triggers, EventRecorder events) {
        this.client = client;
        this.planner = planner;
        this.cache = cache;
        this.triggers = triggers;
        this.events = events;
    }

    @Override
    public List<EventSource<?, VirtualMachine>> prepareEventSources(EventSourceContext<VirtualMachine> context) {
        return List.of(triggers.virtualMachines());
    }

    @Override
    public UpdateControl<VirtualMachine> reconcile(VirtualMachine vm, Context<VirtualMachine> context) {
        WorkloadView view = ContainerReconciler.current(planner.latest(), vm);
        if (view == null) {
            return UpdateControl.noUpdate();
        }
        String ns = vm.getMetadata().getNamespace();
        String name = vm.getMetadata().getName();
        GenericKubernetesResource existing = view.kubeVirtInstalled()
                ? cache.kubeVirtVirtualMachine(ns, name).orElse(null) : null;
        boolean foreign = existing != null && !Owners.ownedBy(existing, vm);
        GenericKubernetesResource owned = foreign ? null : existing;

        VirtualMachineStatus desired = WorkloadStatusBuilder.build(new VirtualMachineStatus(), vm.getStatus(), view,
                observe(view, owned, foreign, name),
                WorkloadStatusBuilder.active(view) ? cache.enforcement(view.ref(), view.status().node()) : null);
        if (!Statuses.same(desired, vm.getStatus())) {
            VirtualMachine fresh = new VirtualMachine();
            fresh.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
            fresh.setStatus(desired);
            VirtualMachineStatus before = vm.getStatus();
            vm = PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(vm, fresh, context);
            WorkloadEvents.emit(events, vm, before, desired);
        }
        if (!view.kubeVirtInstalled() || foreign) {
            return UpdateControl.noUpdate();
        }
        boolean halted = WorkloadStatusBuilder.halted(view);
        if (WorkloadStatusBuilder.active(view) || halted) {
            String node = view.status().node();
            String hostname = node == null ? null : cache.node(node)
                    .map(n -> n.getMetadata().getLabels() == null ? null : n.getMetadata().getLabels().get(Labels.HOSTNAME))
                    .orElse(null);
            GenericKubernetesResource want = KubeVirtVirtualMachine.desired(vm, view.status(), hostname);
            if (owned == null || !Objects.equals(KubeVirtVirtualMachine.recordedHash(owned),
                    KubeVirtVirtualMachine.recordedHash(want))) {
                apply(want);
            }
        }
        return UpdateControl.noUpdate();
    }

    private Observation observe(WorkloadView view, GenericKubernetesResource kubeVirtVm, boolean foreign, String name) {
        if (view.status() == null) {
            return null;
        }
        boolean admitted = view.status().admitted();
        if (!view.kubeVirtInstalled()) {
            return new Observation(false, KUBEVIRT_NOT_INSTALLED, "KubeVirt is not installed (no established"
                    + " CustomResourceDefinition " + KubeVirt.CRD_NAME + "): the KubeVirt VirtualMachine is created"
                    + " as soon as it is", WorkloadStatusBuilder.phaseWithoutOwned(view));
        }
        if (foreign) {
            return new Observation(false, "VirtualMachineNameTaken", "a KubeVirt VirtualMachine named \"" + name
                    + "\" exists and is not owned by this VirtualMachine: delete it or rename this one",
                    WorkloadStatusBuilder.phaseWithoutOwned(view));
        }
        if (!admitted && !WorkloadStatusBuilder.halted(view) || admitted && view.status().node() == null) {
            return new Observation(false, view.status().reason(), view.status().message(),
                    WorkloadStatusBuilder.phaseWithoutOwned(view));
        }
        // An absent KubeVirt VM (about to be created) reads like a new one, so creating it needs no second status write.
        Map<String, Object> status = kubeVirtVm == null ? null : kubeVirtVm.get("status");
        String printable = status == null ? null : (String) status.get("printableStatus");
        boolean ready = status != null && Boolean.TRUE.equals(status.get("ready"));
        String phase;
        if (printable == null) {
            phase = WorkloadStatusBuilder.halted(view) ? WorkloadStatusBuilder.STOPPED : WorkloadStatusBuilder.PENDING;
        } else if (RUNNING.contains(printable)) {
            phase = WorkloadStatusBuilder.RUNNING;
        } else if (STOPPED.contains(printable)) {
            phase = WorkloadStatusBuilder.STOPPED;
        } else if (STARTING.contains(printable)) {
            phase = WorkloadStatusBuilder.PENDING;
        } else {
            phase = WorkloadStatusBuilder.FAILED;
        }
        String reason = printable == null ? "KubeVirtPending" : "KubeVirt" + printable;
        return new Observation(ready, reason, "KubeVirt reports VirtualMachine \"" + name + "\" as "
                + (printable == null ? "not yet started" : printable), phase);
    }

    private void apply(GenericKubernetesResource want) {
        try {
            client.genericKubernetesResources(KubeVirt.VIRTUAL_MACHINES)
                    .inNamespace(want.getMetadata().getNamespace())
                    .resource(want)
                    .fieldManager(Labels.FIELD_MANAGER).forceConflicts().serverSideApply();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                // KubeVirt's CRD went away between the plan and now: the next plan says so.
                log.debug("KubeVirt VirtualMachine {} not applied: {}", want.getMetadata().getName(), e.getMessage());
                return;
            }
            throw e;
        }
    }
}
