package dev.gatehouse.identity.provider;

import java.util.List;

/**
 * The hosted pages, as data: the provider decides which page and what it says; the HTTP layer renders it as
 * HTML (escaping every value). No page carries a password, token or secret; {@code csrf} is the form's
 * anti-forgery token, bound to the browser session.
 */
public sealed interface Page {

    record SignIn(String tx, String csrf, String email, String problem, boolean signUpAllowed) implements Page {
    }

    record SignUp(String tx, String csrf, String email, String name, String problem) implements Page {
    }

    /** {@code clientId} and {@code returnTo} are set only when a standalone switch may return to that client. */
    record ChooseOrganization(String tx, String csrf, List<Choice> choices, String current, String clientId,
            String returnTo) implements Page {
    }

    record Choice(String id, String name, String slug, String role) {
    }

    /** Confirm sign-out; the hidden values came from a validated end-session request (or are null). */
    record SignOut(String csrf, String clientId, String postLogoutRedirectUri, String state) implements Page {
    }

    /** A short statement: signed out, organization switched, or an error (the HTTP status tells which). */
    record Message(String title, String text) implements Page {
    }
}
