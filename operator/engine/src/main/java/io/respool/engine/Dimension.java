package io.respool.engine;

/** A resource dimension. Every rule of the model is evaluated independently for each one. */
public enum Dimension {
    /** Millicores. */
    CPU("cpu", true),
    /** Bytes. */
    MEMORY("memory", true),
    /** I/O operations per second. */
    DISK_IOPS("diskIOPS", true),
    /** Bytes per second. */
    DISK_BANDWIDTH("diskBandwidth", true),
    /** Bits per second. */
    NETWORK_EGRESS("networkEgress", false),
    /** Bits per second. */
    NETWORK_INGRESS("networkIngress", false);

    private final String jsonName;
    private final boolean nodeLocal;

    Dimension(String jsonName, boolean nodeLocal) {
        this.jsonName = jsonName;
        this.nodeLocal = nodeLocal;
    }

    /** The name used in JSON output, annotations and messages ("cpu", "diskIOPS", ...). */
    public String jsonName() {
        return jsonName;
    }

    /** Whether a node's own capacity bounds this dimension (placement and per-node targets). */
    public boolean nodeLocal() {
        return nodeLocal;
    }

    public static Dimension fromJsonName(String name) {
        for (Dimension d : values()) {
            if (d.jsonName.equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown dimension \"" + name + "\"");
    }
}
