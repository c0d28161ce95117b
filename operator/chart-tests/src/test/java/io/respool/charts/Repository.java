package io.respool.charts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Paths in the repository: the chart, the generated CRDs, the examples. */
final class Repository {

    static final Path ROOT = findRoot();
    static final Path CHART = ROOT.resolve("helm/respool");
    static final Path CRDS = ROOT.resolve("crds");
    static final Path CHART_CRDS = CHART.resolve("crds");
    static final Path EXAMPLES = ROOT.resolve("examples");

    private Repository() {
    }

    /** The CRD files of a directory ({@code *-v1.yml}), sorted by name. */
    static List<Path> crdFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith("-v1.yml")).sorted().toList();
        }
    }

    static List<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    private static Path findRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("crds")) && Files.isDirectory(d.resolve("helm/respool"))) {
                return d;
            }
        }
        throw new IllegalStateException("cannot find the repository root (crds/ and helm/respool/) above "
                + Path.of("").toAbsolutePath());
    }
}
