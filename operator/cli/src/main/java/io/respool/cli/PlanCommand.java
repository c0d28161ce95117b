package io.respool.cli;

import io.respool.api.translate.ClusterTranslator;
import io.respool.api.translate.FieldError;
import io.respool.api.translate.Translation;
import io.respool.engine.Condition;
import io.respool.engine.Engine;
import io.respool.engine.Health;
import io.respool.engine.Plan;
import io.respool.engine.PoolStatus;
import io.respool.engine.WorkloadStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code respool plan}: the engine offline on manifests, no cluster needed. */
@Command(name = "plan",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Show what respool would do with the given manifests: admission, placement, entitlements"
                    + " and cgroup values, computed offline.",
            "",
            "Reads multi-document YAML with respool.io/v1alpha1 ResourcePool, VirtualMachine and Container"
                    + " objects, and v1 Node (capacity from status.allocatable) and Namespace (labels) objects,"
                    + " also inside lists (kind: List, as kubectl get -o yaml prints them)."
                    + " Other kinds are skipped with a warning. Admission follows document order.",
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:done; problems with single objects are reported in the output",
            "1:--strict and some object has a problem (refused, invalid, not placed, unhealthy pool)",
            "2:the input could not be read (malformed YAML, unknown field, bad quantity) or bad usage",
            "70:internal error (a bug: please report it with the input)",
        })
final class PlanCommand implements Callable<Integer> {

    enum Format { table, json, yaml }

    @Spec
    private CommandSpec spec;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE|DIR",
            description = "A manifest file, a directory (its *.yaml and *.yml files, sorted by name) or - for"
                    + " standard input. Repeat to read several; documents merge.")
    private List<String> files;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    private Format output;

    @Option(names = "--strict", description = "Exit with status 1 when any object has a problem.")
    private boolean strict;

    @ParentCommand
    private Main main;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Manifests manifests;
        try {
            manifests = new ManifestReader(main.stdin()).read(files);
        } catch (ManifestException e) {
            err.println("error: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        manifests.warnings().forEach(w -> err.println("warning: " + w));
        Translation translation = ClusterTranslator.translate(manifests.clusterObjects());
        for (FieldError w : translation.warnings()) {
            err.println("warning: " + located(manifests, w));
        }
        if (translation.hasErrors()) {
            for (FieldError e : translation.errors()) {
                err.println("error: " + located(manifests, e));
            }
            return Main.BAD_INPUT;
        }
        Plan plan = Engine.compute(translation.spec());
        switch (output) {
            case table -> out.print(PlanTable.render(plan));
            case json -> out.print(PlanOutput.json(plan));
            case yaml -> out.print(PlanOutput.yaml(plan));
        }
        out.flush();
        if (strict) {
            List<String> problems = problems(plan);
            problems.forEach(p -> err.println("problem: " + p));
            return problems.isEmpty() ? Main.OK : Main.PROBLEMS;
        }
        return Main.OK;
    }

    private static String located(Manifests manifests, FieldError e) {
        Source source = manifests.sourceOf(e.object());
        return (source == null ? "" : source + ": ") + e;
    }

    /**
     * What --strict counts as a problem: a pool that is not Ready (invalid spec, unhealthy dimension)
     * or whose reservation was not granted; a running workload that is not admitted or not placed.
     */
    static List<String> problems(Plan plan) {
        List<String> problems = new ArrayList<>();
        for (PoolStatus p : plan.pools()) {
            for (Condition c : p.conditions()) {
                if (!c.isTrue()) {
                    problems.add("ResourcePool \"" + p.name() + "\": " + c.type() + "=" + c.status() + " ("
                            + c.reason() + "): " + c.message());
                }
            }
            if (p.health() != Health.VALID && p.conditions().stream().allMatch(Condition::isTrue)) {
                problems.add("ResourcePool \"" + p.name() + "\" is " + p.health().display());
            }
        }
        for (WorkloadStatus w : plan.workloads()) {
            if ("NotRunning".equals(w.reason())) {
                continue;
            }
            if (!w.admitted() || w.node() == null) {
                problems.add(w.kind().kindName() + " \"" + w.namespace() + "/" + w.name() + "\": " + w.reason()
                        + (w.message() == null ? "" : ": " + w.message()));
            }
        }
        return problems;
    }
}
