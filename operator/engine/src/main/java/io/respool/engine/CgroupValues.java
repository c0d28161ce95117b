package io.respool.engine;

import java.util.Map;

/**
 * File name to value, for cgroup v2 and for v1, in a stable order. Per-device files (io.max,
 * blkio.throttle.*) carry the value without the "MAJ:MIN " prefix: the agent adds each device.
 */
public record CgroupValues(Map<String, String> v2, Map<String, String> v1) {

    public static final CgroupValues NONE = new CgroupValues(Map.of(), Map.of());
}
