package io.respool.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** One in-process run of the respool command: exit status, standard output, standard error. */
record PlanRun(int status, String out, String err) {

    static PlanRun of(String... args) {
        return withStdin("", args);
    }

    static PlanRun withStdin(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            status = Main.run(args, o, e, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        }
        return new PlanRun(status, out.toString(), err.toString());
    }
}
