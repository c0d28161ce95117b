package io.respool.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** cloud-init data handed to the guest at first boot (NoCloud). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CloudInit {

    @JsonPropertyDescription("cloud-init user data, usually a \"#cloud-config\" document.")
    private String userData;

    public String getUserData() {
        return userData;
    }

    public void setUserData(String userData) {
        this.userData = userData;
    }
}
