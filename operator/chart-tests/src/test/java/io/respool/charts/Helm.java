package io.respool.charts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real helm binary (from $RESPOOL_BIN), with its own scratch configuration and caches. */
final class Helm {

    static final String NAMESPACE = "respool-system";
    static final String RELEASE = "respool";

    private final Map<String, String> env;
    private final Path kubeconfig;

    /** @param kubeconfig the cluster to install into; null for template / lint only */
    Helm(Path scratch, Path kubeconfig) {
        this.env = ControlPlane.helmEnv(scratch);
        this.kubeconfig = kubeconfig;
    }

    Cmd.Result run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ControlPlane.helm().toString());
        command.addAll(List.of(args));
        if (kubeconfig != null) {
            command.addAll(List.of("--kubeconfig", kubeconfig.toString()));
        }
        return Cmd.run(command, env, 300);
    }

    /** {@code helm template} of the chart with the test Kubernetes version; extra arguments as given. */
    Cmd.Result template(String... extra) {
        List<String> args = new ArrayList<>(List.of("template", RELEASE, Repository.CHART.toString(),
                "--namespace", NAMESPACE, "--kube-version", ControlPlane.kubernetesVersion()));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    /** The rendered manifests; fails the test with helm's output when it does not render. */
    String render(String... extra) {
        Cmd.Result r = template(extra);
        assertThat(r.exit()).as(r.describe()).isZero();
        return r.out();
    }
}
