package io.respool.operator.cluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.respool.engine.Dimension;
import io.respool.engine.Quantities;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a pod that respool does not manage takes from its node, as kube-scheduler counts it: the
 * larger of the sum of its containers (with restartable init containers, i.e. sidecars) and its
 * largest init container, plus the pod overhead. cpu and memory only: the other dimensions are
 * respool's own extended resources, which foreign pods do not request.
 */
public final class PodRequests {

    private static final List<Dimension> COUNTED = List.of(Dimension.CPU, Dimension.MEMORY);

    private PodRequests() {
    }

    /** Whether the pod occupies its node: bound to one and not finished. */
    public static boolean occupiesNode(Pod pod) {
        if (pod.getSpec() == null || pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty()) {
            return false;
        }
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    /** Whether respool owns the pod (a Container's pod or a respool VM's virt-launcher pod). */
    public static boolean managed(Pod pod) {
        Map<String, String> labels = pod.getMetadata().getLabels();
        return labels != null && (labels.containsKey(Labels.CONTAINER) || labels.containsKey(Labels.VIRTUAL_MACHINE));
    }

    public static Map<Dimension, Long> of(Pod pod) {
        Map<Dimension, Long> result = new EnumMap<>(Dimension.class);
        if (pod.getSpec() == null) {
            return result;
        }
        for (Dimension d : COUNTED) {
            long sum = 0;
            long sidecars = 0;
            long largestInit = 0;
            if (pod.getSpec().getContainers() != null) {
                for (var c : pod.getSpec().getContainers()) {
                    sum += request(c.getResources(), d);
                }
            }
            if (pod.getSpec().getInitContainers() != null) {
                for (var c : pod.getSpec().getInitContainers()) {
                    long r = request(c.getResources(), d);
                    if ("Always".equals(c.getRestartPolicy())) {
                        sidecars += r;
                        sum += r;
                    } else {
                        largestInit = Math.max(largestInit, sidecars + r);
                    }
                }
            }
            long total = Math.max(sum, largestInit) + amount(pod.getSpec().getOverhead(), d);
            if (total > 0) {
                result.put(d, total);
            }
        }
        return result;
    }

    private static long request(ResourceRequirements resources, Dimension d) {
        if (resources == null) {
            return 0;
        }
        long requested = amount(resources.getRequests(), d);
        // As in Kubernetes: a container with a limit and no request requests its limit.
        return requested > 0 || resources.getRequests() != null && resources.getRequests().containsKey(d.jsonName())
                ? requested : amount(resources.getLimits(), d);
    }

    private static long amount(Map<String, Quantity> quantities, Dimension d) {
        if (quantities == null) {
            return 0;
        }
        Quantity q = quantities.get(d.jsonName());
        if (q == null) {
            return 0;
        }
        try {
            return Math.max(0, Quantities.parse(d, text(q)));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    static String text(Quantity q) {
        return (q.getAmount() == null ? "" : q.getAmount()) + (q.getFormat() == null ? "" : q.getFormat());
    }
}
