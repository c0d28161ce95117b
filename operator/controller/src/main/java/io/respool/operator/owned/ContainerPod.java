package io.respool.operator.owned;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.respool.api.Container;
import io.respool.api.ContainerSpec;
import io.respool.api.ContainerStorage;
import io.respool.api.RunStrategy;
import io.respool.engine.Dimension;
import io.respool.engine.Quantities;
import io.respool.engine.WorkloadDimensionStatus;
import io.respool.engine.WorkloadStatus;
import io.respool.operator.cluster.Labels;
import io.respool.operator.status.Figures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Pod that runs a {@code Container}: same name and namespace, controlled by it.
 *
 * <p>Requests are the reservations and limits are the <em>effective limits</em> (the workload's own
 * limit narrowed by its pools'), as semantics.md section 8 says, not the cap. The cap is the
 * workload's share of its pools' collective limits, re-split whenever demand moves; a Pod's
 * resources are fixed at creation, so putting the cap there would restart the container at every
 * shift of demand. The cap goes to the node agent instead (NodeResourcePlan), which writes it to
 * the pod's cgroup (cpu.max, memory.max) below the Pod's limit. Without the agent a user still gets
 * the reservation and the effective limit, as the architecture promises.
 *
 * <p>cpu and memory requests are always written, also when 0: Kubernetes would otherwise default
 * a missing request to the limit, and kube-scheduler would book what respool did not reserve.
 */
public final class ContainerPod {

    /** Name of the one container in the Pod. */
    public static final String CONTAINER_NAME = "main";
    /** Where a persistent storage volume is mounted (the API has no mount path yet). */
    public static final String STORAGE_MOUNT_PATH = "/data";
    public static final String EGRESS_BANDWIDTH = "kubernetes.io/egress-bandwidth";
    public static final String INGRESS_BANDWIDTH = "kubernetes.io/ingress-bandwidth";

    private ContainerPod() {
    }

    /** Name of the PersistentVolumeClaim of a container with persistent storage. */
    public static String claimName(Container c) {
        return c.getMetadata().getName() + "-storage";
    }

    public static boolean persistent(Container c) {
        ContainerStorage s = c.getSpec() == null ? null : c.getSpec().getStorage();
        return s != null && Boolean.TRUE.equals(s.getPersistent()) && s.getSize() != null;
    }

    /**
     * @param hostname the chosen node's {@code kubernetes.io/hostname} label, or null
     */
    public static Pod desired(Container c, WorkloadStatus plan, String hostname) {
        ContainerSpec spec = c.getSpec();
        Map<String, Quantity> requests = new LinkedHashMap<>();
        Map<String, Quantity> limits = new LinkedHashMap<>();
        for (Dimension d : List.of(Dimension.CPU, Dimension.MEMORY)) {
            WorkloadDimensionStatus s = plan.dimension(d);
            requests.put(d.jsonName(), Figures.quantity(d, s == null ? 0 : s.reservation()));
            if (s != null && s.effectiveLimit() != Quantities.UNLIMITED) {
                limits.put(d.jsonName(), Figures.quantity(d, s.effectiveLimit()));
            }
        }
        ContainerStorage storage = spec.getStorage();
        if (storage != null && storage.getSize() != null && !Boolean.TRUE.equals(storage.getPersistent())) {
            requests.put("ephemeral-storage", storage.getSize());
            limits.put("ephemeral-storage", storage.getSize());
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        bandwidth(plan, Dimension.NETWORK_EGRESS, EGRESS_BANDWIDTH, annotations);
        bandwidth(plan, Dimension.NETWORK_INGRESS, INGRESS_BANDWIDTH, annotations);

        ContainerBuilder container = new ContainerBuilder()
                .withName(CONTAINER_NAME)
                .withImage(spec.getImage())
                .withCommand(spec.getCommand())
                .withArgs(spec.getArgs())
                .withEnv(spec.getEnv())
                .withPorts(spec.getPorts())
                .withResources(new ResourceRequirementsBuilder().withRequests(requests)
                        .withLimits(limits.isEmpty() ? null : limits).build());
        PodBuilder pod = new PodBuilder()
                .withNewMetadata()
                .withName(c.getMetadata().getName())
                .withNamespace(c.getMetadata().getNamespace())
                .withLabels(Owners.labels(Labels.CONTAINER, c.getMetadata().getName(), plan.pool()))
                .withOwnerReferences(Owners.controller(c))
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy(restartPolicy(spec.getRunStrategy()))
                .withAffinity(new AffinityBuilder().withNewNodeAffinity()
                        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                        .withNodeSelectorTerms(Owners.pinTo(plan.node(), hostname))
                        .endRequiredDuringSchedulingIgnoredDuringExecution()
                        .endNodeAffinity().build())
                .endSpec();
        if (persistent(c)) {
            container.withVolumeMounts(new VolumeMountBuilder().withName("storage").withMountPath(STORAGE_MOUNT_PATH)
                    .build());
            pod.editSpec().withVolumes(new VolumeBuilder().withName("storage").withNewPersistentVolumeClaim()
                    .withClaimName(claimName(c)).endPersistentVolumeClaim().build()).endSpec();
        }
        pod.editSpec().withContainers(container.build()).endSpec();
        Pod result = pod.build();
        result.getMetadata().setAnnotations(annotations);
        annotations.put(Labels.SPEC_HASH, hashOf(result));
        return result;
    }

    /** The hash of what matters in a Pod: its spec and the bandwidth annotations, read at sandbox creation. */
    public static String hashOf(Pod pod) {
        Map<String, Object> what = new LinkedHashMap<>();
        PodSpec spec = pod.getSpec();
        what.put("spec", spec);
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        if (annotations != null) {
            what.put(EGRESS_BANDWIDTH, annotations.get(EGRESS_BANDWIDTH));
            what.put(INGRESS_BANDWIDTH, annotations.get(INGRESS_BANDWIDTH));
        }
        return Owners.hash(what);
    }

    public static PersistentVolumeClaim claim(Container c) {
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata()
                .withName(claimName(c))
                .withNamespace(c.getMetadata().getNamespace())
                .withLabels(Owners.labels(Labels.CONTAINER, c.getMetadata().getName(), c.getSpec().getPool()))
                .withOwnerReferences(Owners.controller(c))
                .endMetadata()
                .withNewSpec()
                .withAccessModes("ReadWriteOnce")
                .withNewResources().addToRequests("storage", c.getSpec().getStorage().getSize()).endResources()
                .endSpec()
                .build();
    }

    /** Always: the kubelet restarts it in place; RerunOnFailure: only after a failure; Manual: never. */
    static String restartPolicy(RunStrategy strategy) {
        return switch (strategy == null ? RunStrategy.Always : strategy) {
            case Always, Halted -> "Always";
            case RerunOnFailure -> "OnFailure";
            case Manual -> "Never";
        };
    }

    private static void bandwidth(WorkloadStatus plan, Dimension d, String annotation, Map<String, String> into) {
        WorkloadDimensionStatus s = plan.dimension(d);
        if (s != null && s.effectiveLimit() != Quantities.UNLIMITED) {
            into.put(annotation, Quantities.format(d, s.effectiveLimit()));
        }
    }
}
