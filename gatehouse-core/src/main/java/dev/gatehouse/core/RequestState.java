package dev.gatehouse.core;

/**
 * The outcome of {@link Gatehouse#authenticateRequest}: signed in with an {@link Auth}, or signed out with a
 * reason. {@link #toAuth()} always gives an {@code Auth}; a signed-out one answers every {@code has} with false.
 */
public sealed interface RequestState {

    /** {@code signed-in} or {@code signed-out}, Clerk's status strings. */
    String status();

    /** Null when signed in. */
    AuthReason reason();

    Auth toAuth();

    default boolean isSignedIn() {
        return this instanceof SignedIn;
    }

    record SignedIn(Auth auth) implements RequestState {
        @Override
        public String status() {
            return "signed-in";
        }

        @Override
        public AuthReason reason() {
            return null;
        }

        @Override
        public Auth toAuth() {
            return auth;
        }
    }

    record SignedOut(AuthReason reason, String message) implements RequestState {
        @Override
        public String status() {
            return "signed-out";
        }

        @Override
        public Auth toAuth() {
            return Auth.SIGNED_OUT;
        }
    }
}
