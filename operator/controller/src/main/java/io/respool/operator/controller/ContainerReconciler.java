package io.respool.operator.controller;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.respool.api.Container;
import io.respool.api.ContainerStatus;
import io.respool.api.RunStrategy;
import io.respool.operator.cluster.ClusterCache;
import io.respool.operator.cluster.Labels;
import io.respool.operator.cluster.WorkloadRef;
import io.respool.operator.owned.ContainerPod;
import io.respool.operator.owned.Owners;
import io.respool.operator.planning.PlanResult;
import io.respool.operator.planning.PlanResult.WorkloadView;
import io.respool.operator.planning.Planner;
import io.respool.operator.planning.ReconcileTriggers;
import io.respool.operator.status.Statuses;
import io.respool.operator.status.WorkloadStatusBuilder;
import io.respool.operator.status.WorkloadStatusBuilder.Observation;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code Container}: its status from the plan, then its Pod (and PVC). Order matters: the status
 * that records the admission and the node is written before the Pod is created, so a restarted
 * operator reads every admission back from status and never admits twice.
 *
 * <p>The Pod is recreated when it is deleted, when it no longer matches the desired Pod (its spec
 * hash differs: a new image, new limits, a new node) and, as the runStrategy says, when it ended:
 * Always recreates a Pod that failed or succeeded, RerunOnFailure one that failed, Manual none (a
 * finished Pod stays for inspection; delete it to start again). Halted has no Pod.
 */
@ControllerConfiguration(name = "container", fieldManager = Labels.FIELD_MANAGER)
public final class ContainerReconciler implements Reconciler<Container> {

    private static final Logger log = LoggerFactory.getLogger(ContainerReconciler.class);

    private final Planner planner;
    private final ClusterCache cache;
    private final ReconcileTriggers triggers;
    private final EventRecorder events;
    private final KubernetesClient client;

    public ContainerReconciler(KubernetesClient client, Planner planner, ClusterCache cache, ReconcileTriggers triggers,
                               EventRecorder events) {
        this.client = client;
        this.planner = planner;
        this.cache = cache;
        this.triggers = triggers;
        this.events = events;
    }

    @Override
    public List<EventSource<?, Container>> prepareEventSources(EventSourceContext<Container> context) {
        return List.of(triggers.containers());
    }

    @Override
    public UpdateControl<Container> reconcile(Container container, Context<Container> context) {
        WorkloadView view = current(planner.latest(), container);
        if (view == null) {
            // The planner has not seen this version yet; it triggers this reconcile once it has.
            return UpdateControl.noUpdate();
        }
        String ns = container.getMetadata().getNamespace();
        String name = container.getMetadata().getName();
        Pod existing = cache.pod(ns, name).orElse(null);
        boolean foreign = existing != null && !Owners.ownedBy(existing, container);
        Pod pod = foreign ? null : existing;

        ContainerStatus desired = WorkloadStatusBuilder.build(new ContainerStatus(), container.getStatus(), view,
                observe(view, pod, foreign, container),
                WorkloadStatusBuilder.active(view) ? cache.enforcement(view.ref(), view.status().node()) : null);
        if (!Statuses.same(desired, container.getStatus())) {
            Container fresh = new Container();
            fresh.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
            fresh.setStatus(desired);
            ContainerStatus before = container.getStatus();
            container = PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(container, fresh, context);
            WorkloadEvents.emit(events, container, before, desired);
        }
        if (foreign) {
            return UpdateControl.noUpdate();
        }
        RunStrategy strategy = container.getSpec().getRunStrategy() == null ? RunStrategy.Always
                : container.getSpec().getRunStrategy();
        if (WorkloadStatusBuilder.active(view)) {
            String hostname = cache.node(view.status().node())
                    .map(n -> n.getMetadata().getLabels() == null ? null : n.getMetadata().getLabels().get(Labels.HOSTNAME))
                    .orElse(null);
            Pod want = ContainerPod.desired(container, view.status(), hostname);
            if (pod == null) {
                create(container, want);
            } else if (pod.getMetadata().getDeletionTimestamp() == null) {
                String reason = replaceReason(pod, want, strategy);
                if (reason != null) {
                    events.normal(container, "Recreating", "Pod \"" + name + "\" is recreated: " + reason);
                    delete(pod);
                }
            }
        } else if (pod != null && pod.getMetadata().getDeletionTimestamp() == null
                && (view.status() == null || !view.status().admitted())) {
            // Halted (or no longer admitted): no Pod. An admitted workload that lost its node keeps its Pod.
            events.normal(container, "Stopping", "Pod \"" + name + "\" is deleted: "
                    + (WorkloadStatusBuilder.halted(view) ? "runStrategy is Halted" : "the container is not admitted"));
            delete(pod);
        }
        return UpdateControl.noUpdate();
    }

    /** The plan's view of this exact object, or null while the plan is older than it. */
    static WorkloadView current(PlanResult plan, io.fabric8.kubernetes.api.model.HasMetadata workload) {
        WorkloadView view = plan == null ? null : plan.workload(WorkloadRef.of(workload));
        long generation = workload.getMetadata().getGeneration() == null ? 0 : workload.getMetadata().getGeneration();
        if (view == null || !Objects.equals(view.uid(), workload.getMetadata().getUid())
                || view.generation() < generation) {
            return null;
        }
        return view;
    }

    private static String replaceReason(Pod pod, Pod want, RunStrategy strategy) {
        String have = pod.getMetadata().getAnnotations() == null ? null
                : pod.getMetadata().getAnnotations().get(Labels.SPEC_HASH);
        if (!Objects.equals(have, want.getMetadata().getAnnotations().get(Labels.SPEC_HASH))) {
            return "its spec changed (image, command, environment, ports, storage, reservation, effective limit or node)";
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        if ("Failed".equals(phase) && (strategy == RunStrategy.Always || strategy == RunStrategy.RerunOnFailure)) {
            return "it failed and runStrategy is " + strategy;
        }
        if ("Succeeded".equals(phase) && strategy == RunStrategy.Always) {
            return "it ended and runStrategy is Always";
        }
        return null;
    }

    private Observation observe(WorkloadView view, Pod pod, boolean foreign, Container c) {
        if (view.status() == null) {
            return null;
        }
        String name = c.getMetadata().getName();
        if (foreign) {
            return new Observation(false, "PodNameTaken", "a Pod named \"" + name
                    + "\" exists and is not owned by this Container: delete it or rename the Container",
                    WorkloadStatusBuilder.PENDING);
        }
        if (WorkloadStatusBuilder.halted(view)) {
            return new Observation(false, "Halted", "runStrategy is Halted: the container is stopped",
                    WorkloadStatusBuilder.STOPPED);
        }
        if (!view.status().admitted() || view.status().node() == null) {
            return new Observation(false, view.status().reason(), view.status().message(),
                    WorkloadStatusBuilder.phaseWithoutOwned(view));
        }
        if (pod == null) {
            // Said as it will be once the Pod exists, so that its creation needs no second status write.
            return pending(name, "Pending", null, view.status().node());
        }
        String phase = pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending"
                : pod.getStatus().getPhase();
        return switch (phase) {
            case "Running" -> {
                boolean ready = pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                        .anyMatch((PodCondition pc) -> "Ready".equals(pc.getType()) && "True".equals(pc.getStatus()));
                yield new Observation(ready, ready ? "PodReady" : "PodNotReady",
                        "Pod \"" + name + "\" is running on node \"" + pod.getSpec().getNodeName() + "\""
                                + (ready ? "" : " but not ready"), WorkloadStatusBuilder.RUNNING);
            }
            case "Succeeded" -> new Observation(false, "PodSucceeded", "Pod \"" + name + "\" ended successfully",
                    WorkloadStatusBuilder.STOPPED);
            case "Failed" -> new Observation(false, "PodFailed", "Pod \"" + name + "\" failed"
                    + (pod.getStatus().getReason() == null ? "" : ": " + pod.getStatus().getReason()),
                    WorkloadStatusBuilder.FAILED);
            default -> pending(name, phase, pod.getSpec().getNodeName(), view.status().node());
        };
    }

    private static Observation pending(String name, String phase, String boundTo, String placedOn) {
        return new Observation(false, "PodPending", "Pod \"" + name + "\" is " + phase
                + (boundTo == null ? ", waiting to be scheduled onto node \"" + placedOn + "\""
                : " on node \"" + boundTo + "\""), WorkloadStatusBuilder.PENDING);
    }

    private void create(Container container, Pod want) {
        try {
            if (ContainerPod.persistent(container)) {
                client.persistentVolumeClaims().inNamespace(container.getMetadata().getNamespace())
                        .resource(ContainerPod.claim(container))
                        .fieldManager(Labels.FIELD_MANAGER).forceConflicts().serverSideApply();
            }
            client.pods().inNamespace(want.getMetadata().getNamespace()).resource(want)
                    .fieldManager(Labels.FIELD_MANAGER).forceConflicts().serverSideApply();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 422 || e.getCode() == 409) {
                // The cache had not seen a Pod that exists (e.g. an old one still terminating): its own
                // event triggers the next reconcile, which replaces it.
                log.debug("Pod {}/{} not applied yet: {}", want.getMetadata().getNamespace(),
                        want.getMetadata().getName(), e.getMessage());
                return;
            }
            throw e;
        }
    }

    private void delete(Pod pod) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
    }
}
