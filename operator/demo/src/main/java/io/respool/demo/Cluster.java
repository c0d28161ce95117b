package io.respool.demo;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;

/**
 * A Kubernetes cluster whose nodes are simulated by KWOK, for the demo, the end-to-end scenarios
 * and the scale benchmark: {@link LocalCluster} (processes on this machine) or a k3s container.
 * Either way pods reach Running without kubelets, KubeVirt VirtualMachines reach Running through a
 * stand-in controller, and PersistentVolumeClaims are bound by a stand-in provisioner.
 */
public interface Cluster extends AutoCloseable {

    /** An admin client (the caller must not close it). */
    KubernetesClient client();

    /** An admin kubeconfig (YAML), e.g. for a child process. */
    String kubeconfig();

    /** A kubeconfig for another user with the same (cluster-admin) rights, told apart in audit logs. */
    String kubeconfig(String user);

    /**
     * Creates the nodes and waits until KWOK reports each Ready with exactly the given allocatable
     * resources (no moment with KWOK's defaults is ever visible as Ready).
     */
    void createNodes(List<FakeNode> nodes);

    /** Deletes a node, as when a machine is removed from the cluster. */
    void deleteNode(String name);

    /** What runs, for logs and reports. */
    String description();

    @Override
    void close();
}
