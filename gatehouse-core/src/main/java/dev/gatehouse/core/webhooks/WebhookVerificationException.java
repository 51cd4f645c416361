package dev.gatehouse.core.webhooks;

/** A webhook that must not be trusted: missing headers, a stale timestamp or no matching signature. */
public final class WebhookVerificationException extends Exception {
    public WebhookVerificationException(String message) {
        super(message, null, false, false);
    }
}
