package io.respool.demo;

import io.respool.operator.OperatorCommand;
import picocli.CommandLine;

/**
 * {@code respool operator} as a main class of its own: what {@link OperatorProcess} runs when no
 * respool.jar is at hand (the end-to-end tests run before the CLI jar is built). Same command class,
 * same options.
 */
public final class OperatorMain {

    private OperatorMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new OperatorCommand()).execute(args));
    }
}
