package io.respool.operator.cluster;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.respool.api.Container;
import io.respool.api.ResourcePool;
import io.respool.api.VirtualMachine;
import io.respool.engine.Dimension;
import java.util.List;
import java.util.Map;

/**
 * Everything one engine run reads, copied out of the informer caches at one moment.
 *
 * @param otherRequests     per node, what bound pods that respool does not manage request
 * @param podUids           per workload key, the UID of the pod that runs it (a Container's pod, a
 *                          VM's virt-launcher pod), when there is one
 * @param reportedDemand    per workload key, the demand the node agent reported in its
 *                          NodeResourcePlan's status
 * @param arrival           per pool and workload UID, when this operator saw it arrive (0: listed at
 *                          start-up); the tie-break between objects created in the same second
 * @param kubeVirtInstalled whether the {@code virtualmachines.kubevirt.io} CRD is established
 */
public record ClusterSnapshot(List<ResourcePool> pools, List<VirtualMachine> virtualMachines,
                              List<Container> containers, List<Node> nodes, List<Namespace> namespaces,
                              Map<String, Map<Dimension, Long>> otherRequests, Map<String, String> podUids,
                              Map<String, Map<Dimension, Long>> reportedDemand, Map<String, Long> arrival,
                              boolean kubeVirtInstalled) {

    public ClusterSnapshot {
        pools = List.copyOf(pools);
        virtualMachines = List.copyOf(virtualMachines);
        containers = List.copyOf(containers);
        nodes = List.copyOf(nodes);
        namespaces = List.copyOf(namespaces);
        otherRequests = Map.copyOf(otherRequests);
        podUids = Map.copyOf(podUids);
        reportedDemand = Map.copyOf(reportedDemand);
        arrival = Map.copyOf(arrival);
    }
}
