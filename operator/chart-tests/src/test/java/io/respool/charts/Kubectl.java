package io.respool.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real kubectl (from $RESPOOL_BIN) against a test API server. */
final class Kubectl {

    private final Path kubeconfig;

    Kubectl(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
    }

    Cmd.Result run(String... args) {
        List<String> command = new ArrayList<>(List.of(ControlPlane.kubectl().toString(), "--kubeconfig",
                kubeconfig.toString()));
        command.addAll(List.of(args));
        return Cmd.run(command, Map.of("LANG", "C.UTF-8"), 120);
    }

    /** Runs and fails the test with kubectl's output unless it succeeds; returns stdout. */
    String ok(String... args) {
        Cmd.Result r = run(args);
        assertThat(r.exit()).as(r.describe()).isZero();
        return r.out();
    }

    /**
     * kubectl's table output as rows of cells, cut at the header's column positions (kubectl aligns
     * every column), so that blank cells stay in place as "". Several tables (e.g. a category) are
     * separated by an empty row. AGE cells read "<age>".
     */
    List<List<String>> table(String... args) {
        List<List<String>> rows = new ArrayList<>();
        List<Integer> starts = null;
        int age = -1;
        for (String line : ok(args).lines().toList()) {
            if (line.isBlank()) {
                rows.add(List.of());
                starts = null;
                continue;
            }
            if (starts == null) {
                starts = new ArrayList<>();
                var m = java.util.regex.Pattern.compile("(?:^|\\s{2,})(\\S)").matcher(line);
                while (m.find()) {
                    starts.add(m.start(1));
                }
            }
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < starts.size(); i++) {
                int from = Math.min(starts.get(i), line.length());
                int to = i + 1 < starts.size() ? Math.min(starts.get(i + 1), line.length()) : line.length();
                cells.add(line.substring(from, to).trim());
            }
            if (cells.contains("AGE") && (rows.isEmpty() || rows.getLast().isEmpty())) {
                age = cells.indexOf("AGE");
            } else if (age >= 0) {
                cells.set(age, "<age>");
            }
            rows.add(cells);
        }
        return rows;
    }
}
