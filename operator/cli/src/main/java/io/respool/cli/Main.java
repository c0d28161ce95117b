package io.respool.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code respool} command. Each entry point is a subcommand: add one by listing its class in
 * {@code subcommands}.
 */
@Command(name = "respool",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "vSphere-style resource pools (reservation, limit, shares) for Kubernetes VMs and containers.",
        subcommands = {
            PlanCommand.class,
            io.respool.operator.OperatorCommand.class,
            io.respool.agent.AgentCommand.class,
            io.respool.demo.DemoCommand.class,
            CommandLine.HelpCommand.class,
        })
public final class Main implements Callable<Integer> {

    /** Exit status: done; problems with single objects are in the output. */
    public static final int OK = 0;
    /** Exit status: --strict and some object has a problem. */
    public static final int PROBLEMS = 1;
    /** Exit status: the input could not be read (malformed YAML, bad field or quantity) or bad usage. */
    public static final int BAD_INPUT = 2;
    /** Exit status: a bug in respool (EX_SOFTWARE); the stack trace is on standard error. */
    public static final int INTERNAL_ERROR = 70;

    @Spec
    private CommandSpec spec;

    private final InputStream stdin;

    private Main(InputStream stdin) {
        this.stdin = stdin;
    }

    /** Standard input, for subcommands that read "-". */
    InputStream stdin() {
        return stdin;
    }

    public static void main(String[] args) {
        try (PrintWriter out = new PrintWriter(System.out, true);
             PrintWriter err = new PrintWriter(System.err, true)) {
            int status = run(args, out, err, System.in);
            out.flush();
            err.flush();
            System.exit(status);
        }
    }

    /** Runs the command in-process (what the tests call) and returns its exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, InputStream stdin) {
        // No logging backend in the CLI: keep SLF4J's "no providers" notice off the terminal.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        CommandLine cl = new CommandLine(new Main(stdin));
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("respool: internal error: " + e);
            e.printStackTrace(line.getErr());
            return INTERNAL_ERROR;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return BAD_INPUT;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"respool " + (v == null ? "(development build)" : v)};
        }
    }
}
