package io.respool.operator.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.respool.api.Container;
import io.respool.api.VirtualMachine;
import io.respool.engine.WorkloadKind;

/** Names one respool workload; {@link #key()} is the engine's {@code WorkloadStatus.key()}. */
public record WorkloadRef(WorkloadKind kind, String namespace, String name) {

    public static WorkloadRef of(HasMetadata workload) {
        WorkloadKind kind = switch (workload) {
            case VirtualMachine vm -> WorkloadKind.VIRTUAL_MACHINE;
            case Container c -> WorkloadKind.CONTAINER;
            default -> throw new IllegalArgumentException(workload.getKind() + " is not a respool workload");
        };
        return new WorkloadRef(kind, workload.getMetadata().getNamespace(), workload.getMetadata().getName());
    }

    public String key() {
        return kind.kindName() + "/" + namespace + "/" + name;
    }

    @Override
    public String toString() {
        return kind.kindName() + " \"" + namespace + "/" + name + "\"";
    }
}
