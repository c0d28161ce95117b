package io.respool.api.translate;

import io.respool.engine.ClusterSpec;
import java.util.List;

/**
 * The engine input built from Kubernetes objects, and what was wrong with them.
 *
 * @param spec     the engine input; an object with an error is left out of it
 * @param errors   problems that made an object unusable (bad quantity, bad shares, ...)
 * @param warnings problems worth telling but not fatal (e.g. a node without declared capacity)
 */
public record Translation(ClusterSpec spec, List<FieldError> errors, List<FieldError> warnings) {

    public Translation {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }
}
