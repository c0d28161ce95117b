package io.respool.cli;

import java.util.ArrayList;
import java.util.List;

/** Left-aligned columns separated by two spaces, trailing blanks trimmed: kubectl's table look. */
final class TextTable {

    private final List<String[]> rows = new ArrayList<>();
    private final String indent;

    TextTable(String indent, String... header) {
        this.indent = indent;
        rows.add(header);
    }

    TextTable row(String... cells) {
        rows.add(cells);
        return this;
    }

    void appendTo(StringBuilder out) {
        int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) {
                    line.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
