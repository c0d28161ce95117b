package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** One disk of a VM: a container disk image or an existing PersistentVolumeClaim. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VirtualMachineDisk {

    @JsonPropertyDescription("Disk name, unique within the VM (e.g. \"root\").")
    @Required
    private String name;

    @JsonPropertyDescription("Container disk image holding the disk contents, e.g."
            + " \"containerdisks/fedora:41\". Its changes are lost when the VM stops.")
    private String image;

    @JsonPropertyDescription("Name of a PersistentVolumeClaim in the VM's namespace to use as the disk"
            + " (persistent, like a VMDK on a datastore).")
    private String persistentVolumeClaim;

    public VirtualMachineDisk() {
    }

    public VirtualMachineDisk(String name, String image, String persistentVolumeClaim) {
        this.name = name;
        this.image = image;
        this.persistentVolumeClaim = persistentVolumeClaim;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public String getPersistentVolumeClaim() {
        return persistentVolumeClaim;
    }

    public void setPersistentVolumeClaim(String persistentVolumeClaim) {
        this.persistentVolumeClaim = persistentVolumeClaim;
    }
}
