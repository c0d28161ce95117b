package io.respool.agent.cgroup;

/** The node's cgroups cannot be used as configured; the message says what was looked for. */
public final class CgroupException extends Exception {

    public CgroupException(String message) {
        super(message);
    }
}
