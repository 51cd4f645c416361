package dev.gatehouse.core.tokens;

import java.util.List;

/** A template that cannot be used, with one message per problem, each fit for a config error line. */
public final class TemplateException extends Exception {
    private final List<String> problems;

    public TemplateException(String message) {
        this(List.of(message));
    }

    public TemplateException(List<String> problems) {
        super(String.join("; ", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in the order found. */
    public List<String> problems() {
        return problems;
    }
}
