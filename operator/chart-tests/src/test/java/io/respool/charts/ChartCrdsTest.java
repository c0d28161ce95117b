package io.respool.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The chart ships the generated CRDs: helm/respool/crds/ must hold exactly the files of crds/, byte
 * for byte (Helm installs what is in the chart, so a stale copy would install an old schema).
 */
class ChartCrdsTest {

    static final String HOW_TO_SYNC = "Copy the generated CRDs into the chart and commit both:"
            + " 'rm -f helm/respool/crds/*.yml && cp crds/*-v1.yml helm/respool/crds/' (see docs/install.md).";

    @Test
    void theChartsCrdsAreTheGeneratedOnes() throws IOException {
        Set<String> generated = names(Repository.crdFiles(Repository.CRDS));
        Set<String> shipped = names(Repository.crdFiles(Repository.CHART_CRDS));
        assertThat(generated).as("CRDs in crds/").hasSize(4);
        List<String> problems = new ArrayList<>();
        for (String name : generated) {
            if (!shipped.contains(name)) {
                problems.add("helm/respool/crds/" + name + " is missing");
            } else if (Files.mismatch(Repository.CRDS.resolve(name), Repository.CHART_CRDS.resolve(name)) != -1) {
                problems.add("helm/respool/crds/" + name + " differs from crds/" + name);
            }
        }
        for (String name : shipped) {
            if (!generated.contains(name)) {
                problems.add("helm/respool/crds/" + name + " is not in crds/ (a CRD that no longer exists?)");
            }
        }
        try (var all = Files.list(Repository.CHART_CRDS)) {
            all.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith("-v1.yml"))
                    .forEach(n -> problems.add("helm/respool/crds/" + n + " is not a generated CRD"));
        }
        assertThat(problems).as("helm/respool/crds/ is out of sync with crds/. " + HOW_TO_SYNC).isEmpty();
    }

    private static Set<String> names(List<Path> files) {
        Set<String> names = new TreeSet<>();
        files.forEach(f -> names.add(f.getFileName().toString()));
        return names;
    }
}
