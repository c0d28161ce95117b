package io.respool.operator.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * JOSDK tags its meters with the resource's API group but leaves the tag out for the core group
 * (Nodes). Prometheus needs one set of tag keys per meter name, so the first kind seen would win and
 * the others' meters would be dropped: this filter gives core resources {@code group="core"}.
 */
public final class CoreGroupTag implements MeterFilter {

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith("operator.sdk")) {
            return id;
        }
        for (String prefix : new String[] {"", "resource."}) {
            if (id.getTag(prefix + "kind") != null && id.getTag(prefix + "group") == null) {
                return id.withTag(Tag.of(prefix + "group", "core"));
            }
        }
        return id;
    }
}
