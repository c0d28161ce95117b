package io.respool.operator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class LeanItemStoreTest {

    @Test
    void keepsObjectsByNamespaceAndNameWithoutTheirManagedFields() {
        Pod pod = new PodBuilder().withNewMetadata().withNamespace("team").withName("web").withUid("u1")
                .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").withOperation("Apply").build())
                .endMetadata().withNewSpec().withNodeName("n1").endSpec().build();
        LeanItemStore<Pod> store = new LeanItemStore<>();

        store.put(store.getKey(pod), pod);

        assertThat(store.getKey(pod)).isEqualTo("team/web");
        Pod cached = store.get("team/web");
        assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(cached.getMetadata().getUid()).isEqualTo("u1");
        assertThat(cached.getSpec().getNodeName()).isEqualTo("n1");
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.remove("team/web")).isSameAs(cached);
        assertThat(store.keySet()).isEmpty();
    }
}
