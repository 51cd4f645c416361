package dev.gatehouse.core.tokens;

/** A template that cannot be used, with a message fit for a config error line. */
public final class TemplateException extends Exception {
    public TemplateException(String message) {
        super(message, null, false, false);
    }
}
