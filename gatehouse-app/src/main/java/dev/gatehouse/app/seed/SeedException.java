package dev.gatehouse.app.seed;

import java.util.List;

/** A seed file that cannot be applied: every problem found, each with its path. */
public final class SeedException extends Exception {
    private final List<String> errors;

    public SeedException(List<String> errors) {
        super(String.join("\n", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
