package io.respool.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden tests of {@code respool plan}: every file in examples/, all examples at once, and the
 * edge inputs in src/test/resources/plan/, each as a table and as JSON, compared byte for byte with
 * the files in src/test/resources/golden/.
 *
 * <p>After an intended change of the output, regenerate the golden files and review the diff:
 * <pre>
 *   mvn -pl operator/cli test -Dtest=PlanGoldenTest -Drespool.updateGolden=true
 *   git diff operator/cli/src/test/resources/golden
 * </pre>
 */
class PlanGoldenTest {

    static final Path EXAMPLES = Path.of("../../examples");
    static final Path INPUTS = Path.of("src/test/resources/plan");
    static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final boolean UPDATE = Boolean.getBoolean("respool.updateGolden");

    static Stream<Path> examples() throws IOException {
        return yamlFiles(EXAMPLES).stream();
    }

    static Stream<Path> edgeInputs() throws IOException {
        return yamlFiles(INPUTS).stream();
    }

    private static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    @Test
    void theExamplesAreThere() throws IOException {
        assertThat(yamlFiles(EXAMPLES)).extracting(p -> p.getFileName().toString())
                .hasSizeGreaterThanOrEqualTo(6)
                .allMatch(name -> name.matches("\\d\\d-[a-z0-9-]+\\.yaml"), "named NN-topic.yaml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleTable(Path file) throws IOException {
        assertGolden(cleanRun("-f", file.toString()), "examples/" + stem(file) + ".table.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void exampleJson(Path file) throws IOException {
        assertGolden(cleanRun("-f", file.toString(), "-o", "json"), "examples/" + stem(file) + ".json");
    }

    @Test
    void allExamplesAtOnceTable() throws IOException {
        assertGolden(cleanRun("-f", EXAMPLES.toString()), "examples/all.table.txt");
    }

    @Test
    void allExamplesAtOnceJson() throws IOException {
        assertGolden(cleanRun("-f", EXAMPLES.toString(), "-o", "json"), "examples/all.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edgeInputs")
    void edgeTable(Path file) throws IOException {
        PlanRun run = PlanRun.of("plan", "-f", file.toString());
        assertThat(run.status()).as(run.err()).isZero();
        assertGolden(run.out(), "edge/" + stem(file) + ".table.txt");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edgeInputs")
    void edgeJson(Path file) throws IOException {
        PlanRun run = PlanRun.of("plan", "-f", file.toString(), "-o", "json");
        assertThat(run.status()).as(run.err()).isZero();
        assertGolden(run.out(), "edge/" + stem(file) + ".json");
    }

    /** Runs plan and expects success without a single warning: examples must be clean. */
    private static String cleanRun(String... args) {
        String[] full = Stream.concat(Stream.of("plan"), Stream.of(args)).toArray(String[]::new);
        PlanRun run = PlanRun.of(full);
        assertThat(run.err()).as("standard error of plan %s", List.of(args)).isEmpty();
        assertThat(run.status()).isZero();
        return run.out();
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.lastIndexOf('.'));
    }

    private static void assertGolden(String actual, String name) throws IOException {
        Path golden = GOLDEN.resolve(name);
        if (UPDATE) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual);
            return;
        }
        if (!Files.exists(golden)) {
            fail("golden file " + golden + " is missing; create it with"
                    + " mvn -pl operator/cli test -Dtest=PlanGoldenTest -Drespool.updateGolden=true");
        }
        assertThat(actual).as("output vs golden file %s (regenerate with -Drespool.updateGolden=true)", golden)
                .isEqualTo(Files.readString(golden));
    }
}
