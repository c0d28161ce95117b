package io.respool.cli;

/** Input that {@code plan} cannot read at all: malformed YAML, a bad field, a bad quantity (exit status 2). */
final class ManifestException extends Exception {

    ManifestException(String message) {
        super(message);
    }

    ManifestException(Source source, String message) {
        super(source + ": " + message);
    }
}
