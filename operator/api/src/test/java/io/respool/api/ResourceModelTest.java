package io.respool.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

/** The custom resource classes: identity annotations, and YAML that round-trips readably. */
class ResourceModelTest {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @Test
    void groupVersionKindPluralAndScope() {
        assertThat(HasMetadata.getApiVersion(ResourcePool.class)).isEqualTo("respool.io/v1alpha1");
        assertThat(HasMetadata.getKind(VirtualMachine.class)).isEqualTo("VirtualMachine");
        assertThat(HasMetadata.getPlural(ResourcePool.class)).isEqualTo("resourcepools");
        assertThat(HasMetadata.getPlural(VirtualMachine.class)).isEqualTo("virtualmachines");
        assertThat(HasMetadata.getPlural(Container.class)).isEqualTo("containers");
        assertThat(HasMetadata.getFullResourceName(Container.class)).isEqualTo("containers.respool.io");
        assertThat(Namespaced.class).isAssignableFrom(VirtualMachine.class).isAssignableFrom(Container.class);
        assertThat(Namespaced.class.isAssignableFrom(ResourcePool.class)).isFalse();
        assertThat(ResourcePool.class.getAnnotation(io.fabric8.kubernetes.model.annotation.ShortNames.class).value())
                .containsExactly("rp");
        assertThat(VirtualMachine.class.getAnnotation(io.fabric8.kubernetes.model.annotation.ShortNames.class).value())
                .containsExactly("rvm");
        assertThat(Container.class.getAnnotation(io.fabric8.kubernetes.model.annotation.ShortNames.class).value())
                .containsExactly("rct");
    }

    @Test
    void manifestsRoundTripWithQuantitiesAndSharesAsWritten() {
        String yaml = """
                apiVersion: respool.io/v1alpha1
                kind: VirtualMachine
                metadata: {name: db, namespace: payments}
                spec:
                  pool: production
                  os: windows
                  cpu: {vcpus: 4, reservation: "2", limit: 3500m, shares: 2000}
                  memory: {size: 8Gi, reservation: 8Gi, shares: high}
                  network: {egress: {limit: 100M}}
                  disks: [{name: root, persistentVolumeClaim: db-root}]
                  cloudInit: {userData: "#cloud-config"}
                  runStrategy: Halted
                """;
        VirtualMachine vm = SERIALIZATION.unmarshal(yaml, VirtualMachine.class);
        assertThat(vm.getSpec().getOs()).isEqualTo(OperatingSystem.WINDOWS);
        assertThat(vm.getSpec().getCpu().getVcpus()).isEqualTo(4);
        assertThat(vm.getSpec().getCpu().getShares().getIntVal()).isEqualTo(2000);
        assertThat(vm.getSpec().getMemory().getShares().getStrVal()).isEqualTo("high");
        assertThat(vm.getSpec().getRunStrategy().running()).isFalse();

        JsonNode written = SERIALIZATION.convertValue(vm, JsonNode.class);
        JsonNode spec = written.get("spec");
        assertThat(spec.get("os").asText()).isEqualTo("windows");
        assertThat(spec.get("cpu").get("reservation").asText()).isEqualTo("2");
        assertThat(spec.get("cpu").get("limit").asText()).isEqualTo("3500m");
        assertThat(spec.get("cpu").get("shares").isInt()).as("integer shares stay a number").isTrue();
        assertThat(spec.get("memory").has("limit")).as("absent fields are not written").isFalse();
        assertThat(spec.has("nodeSelector")).isFalse();
        assertThat(SERIALIZATION.unmarshal(SERIALIZATION.asYaml(vm), VirtualMachine.class).getSpec().getCpu().getLimit())
                .isEqualTo(vm.getSpec().getCpu().getLimit());
    }

    @Test
    void poolsAndContainersRead() {
        ResourcePool pool = SERIALIZATION.unmarshal("""
                apiVersion: respool.io/v1alpha1
                kind: ResourcePool
                metadata: {name: production}
                spec:
                  cpu: {reservation: "8", limit: "16", shares: high}
                  memory: {reservation: 32Gi, expandableReservation: false}
                  disk: {iops: {limit: "5000"}}
                  namespaceSelector: {matchLabels: {team: pay}}
                """, ResourcePool.class);
        assertThat(pool.getSpec().getMemory().getExpandableReservation()).isFalse();
        assertThat(pool.getSpec().getDisk().getIops().getLimit().toString()).isEqualTo("5000");
        assertThat(pool.getSpec().getNamespaceSelector().getMatchLabels()).containsEntry("team", "pay");

        Container c = SERIALIZATION.unmarshal("""
                apiVersion: respool.io/v1alpha1
                kind: Container
                metadata: {name: web, namespace: payments}
                spec:
                  image: nginx:1.27
                  command: [nginx]
                  env: [{name: A, value: b}]
                  ports: [{containerPort: 80}]
                  storage: {size: 10Gi, persistent: true}
                  network: {egress: {limit: 100M}}
                """, Container.class);
        assertThat(c.getSpec().getStorage().getPersistent()).isTrue();
        assertThat(c.getSpec().getPorts().getFirst().getContainerPort()).isEqualTo(80);
        assertThat(c.getSpec().getEnv().getFirst().getValue()).isEqualTo("b");
    }
}
