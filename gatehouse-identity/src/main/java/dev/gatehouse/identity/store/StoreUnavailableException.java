package dev.gatehouse.identity.store;

/**
 * The database could not be reached or failed; not the caller's fault (an endpoint answers 503). The message
 * never carries SQL values (a failing statement may hold a password hash or metadata), only what failed and the
 * SQL state; the cause, the driver's own exception, may carry them, so log it at debug level only.
 */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
