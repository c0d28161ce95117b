package io.respool.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The guest operating system family of a VM: it picks machine defaults (e.g. Hyper-V enlightenments). */
public enum OperatingSystem {
    @JsonProperty("linux")
    LINUX,
    @JsonProperty("windows")
    WINDOWS
}
