package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.respool.engine.CgroupRenderer;
import io.respool.engine.Quantities;

/**
 * One workload's canonical targets in one dimension on its node, in the engine's base unit
 * (millicores, bytes, operations/s, bytes/s or bits/s). Maps 1:1 onto
 * {@link CgroupRenderer.Target}; an absent cap is {@link Quantities#UNLIMITED}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeTarget {

    @JsonPropertyDescription("Entitlement on this node; cgroup weights are proportional to it.")
    @Min(0)
    private long weight;

    @JsonPropertyDescription("Guaranteed floor (the reservation), e.g. memory.min.")
    @Min(0)
    private long floor;

    @JsonPropertyDescription("Hard cap (e.g. cpu.max, memory.max); absent: unlimited.")
    @Min(0)
    private Long cap;

    @JsonPropertyDescription("Resolved shares, used for disk weights.")
    @Min(0)
    private long shares;

    public NodeTarget() {
    }

    public NodeTarget(long weight, long floor, Long cap, long shares) {
        this.weight = weight;
        this.floor = floor;
        this.cap = cap;
        this.shares = shares;
    }

    /** The same target as the engine gives it ({@link Quantities#UNLIMITED} becomes an absent cap). */
    public static NodeTarget from(CgroupRenderer.Target target) {
        return new NodeTarget(target.weight(), target.floor(),
                target.cap() == Quantities.UNLIMITED ? null : target.cap(), target.shares());
    }

    /** This target for {@link CgroupRenderer#render}. */
    public CgroupRenderer.Target toEngine() {
        return new CgroupRenderer.Target(weight, floor, cap == null ? Quantities.UNLIMITED : cap, shares);
    }

    public long getWeight() {
        return weight;
    }

    public void setWeight(long weight) {
        this.weight = weight;
    }

    public long getFloor() {
        return floor;
    }

    public void setFloor(long floor) {
        this.floor = floor;
    }

    public Long getCap() {
        return cap;
    }

    public void setCap(Long cap) {
        this.cap = cap;
    }

    public long getShares() {
        return shares;
    }

    public void setShares(long shares) {
        this.shares = shares;
    }
}
