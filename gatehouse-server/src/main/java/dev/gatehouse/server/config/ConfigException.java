package dev.gatehouse.server.config;

import java.util.List;

/** A configuration that cannot be used, with every problem found, each prefixed by its path in the file. */
public final class ConfigException extends Exception {
    private final List<String> errors;

    public ConfigException(List<String> errors) {
        super(String.join("\n", errors));
        this.errors = List.copyOf(errors);
    }

    public List<String> errors() {
        return errors;
    }
}
