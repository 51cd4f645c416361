package dev.gatehouse.identity.provider;

import java.net.URI;

/**
 * What to answer a browser: a {@code 303 See Other} to {@code location}, or {@code page} with {@code status}.
 * {@code sessionCookie} is a new {@code gatehouse-idp} cookie value to set (null: leave it), and
 * {@code clearSessionCookie} deletes it.
 */
public record BrowserAnswer(int status, URI location, Page page, String sessionCookie, boolean clearSessionCookie) {

    static BrowserAnswer redirect(URI location) {
        return new BrowserAnswer(303, location, null, null, false);
    }

    static BrowserAnswer page(int status, Page page) {
        return new BrowserAnswer(status, null, page, null, false);
    }

    static BrowserAnswer error(int status, String title, String text) {
        return page(status, new Page.Message(title, text));
    }

    BrowserAnswer withCookie(String value) {
        return new BrowserAnswer(status, location, page, value, clearSessionCookie);
    }

    BrowserAnswer clearingCookie() {
        return new BrowserAnswer(status, location, page, null, true);
    }
}
