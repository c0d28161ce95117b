package io.respool.demo;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node for KWOK to simulate. It carries {@code kubernetes.io/hostname} as a kubelet would set it.
 *
 * @param allocatable what the node offers: {@code cpu}, {@code memory} and any extended resources
 *                    ({@code respool.io/disk-iops} ...). A kubelet always reports {@code pods} and
 *                    {@code ephemeral-storage}: unless given they are 110 and 200Gi.
 */
public record FakeNode(String name, Map<String, String> labels, Map<String, Quantity> allocatable) {

    /** The label KubeVirt puts on nodes that can run virtual machines. */
    public static final String KUBEVIRT_SCHEDULABLE = "kubevirt.io/schedulable";

    public FakeNode {
        Map<String, String> l = new LinkedHashMap<>(labels);
        l.putIfAbsent("kubernetes.io/hostname", name);
        labels = Map.copyOf(l);
        Map<String, Quantity> a = new LinkedHashMap<>(allocatable);
        a.putIfAbsent("pods", new Quantity("110"));
        a.putIfAbsent("ephemeral-storage", new Quantity("200Gi"));
        allocatable = Map.copyOf(a);
    }

    public static FakeNode of(String name, String cpu, String memory, Map<String, String> labels) {
        return new FakeNode(name, labels, Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)));
    }

    /** A node like those a manifest describes (its labels and status.allocatable). */
    public static FakeNode from(Node node) {
        Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        Map<String, Quantity> allocatable = node.getStatus() == null || node.getStatus().getAllocatable() == null
                ? Map.of() : node.getStatus().getAllocatable();
        return new FakeNode(node.getMetadata().getName(), labels, allocatable);
    }

    public boolean kubeVirt() {
        return "true".equals(labels.get(KUBEVIRT_SCHEDULABLE));
    }
}
