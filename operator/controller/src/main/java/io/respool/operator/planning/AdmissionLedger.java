package io.respool.operator.planning;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The operator's memory of its admission decisions, so that they are sticky (semantics.md
 * section 4: an admitted workload stays admitted, on its node while the node can hold it).
 *
 * <p>The first time the operator sees a workload (by UID) it takes the decision from the
 * workload's status ({@code Admitted=True} and {@code status.node}), which the reconcilers write
 * before they create any Pod or KubeVirt VM: after a restart or a change of leader nothing is lost
 * and nothing is admitted twice. From then on the ledger alone decides, so a status that lags
 * behind the latest plan cannot undo a decision. A replica that takes over the leadership
 * {@link #clear() clears} it first: as a standby it wrote nothing, so its decisions were only its
 * own, while the statuses hold what the previous leader decided and created. Used by one engine
 * run at a time.
 */
final class AdmissionLedger {

    /** What the ledger holds for one workload. */
    record Decision(boolean admitted, String node) {
    }

    private record Entry(String uid, Decision decision) {
    }

    private final Map<String, Entry> entries = new HashMap<>();

    /** The decision to give the engine: the recorded one, or for a workload seen first, its status's. */
    Decision decision(String key, String uid, boolean statusAdmitted, String statusNode) {
        Entry e = entries.get(key);
        if (e != null && e.uid().equals(uid)) {
            return e.decision();
        }
        Decision seeded = new Decision(statusAdmitted, statusAdmitted ? statusNode : null);
        entries.put(key, new Entry(uid, seeded));
        return seeded;
    }

    void record(String key, String uid, boolean admitted, String node) {
        entries.put(key, new Entry(uid, new Decision(admitted, admitted ? node : null)));
    }

    /** Forgets every decision: each workload's is taken from its status again, as at start-up. */
    void clear() {
        entries.clear();
    }

    /** Forgets workloads that no longer exist. */
    void retain(Set<String> keys) {
        entries.keySet().retainAll(keys);
    }

    int size() {
        return entries.size();
    }
}
