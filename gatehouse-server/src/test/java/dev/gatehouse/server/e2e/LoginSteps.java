package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A sign-in taken one hop at a time (gateway {@code /auth/login}, provider authorize, gateway callback), so a
 * test can stop, alter, move to another browser or replay any hop. Every cookie value it sees is remembered for
 * the end-of-class scan of log lines.
 */
final class LoginSteps {
    private final GatewayHarness h;
    private final Set<String> cookieValues = ConcurrentHashMap.newKeySet();

    LoginSteps(GatewayHarness h) {
        this.h = h;
    }

    /** {@code GET /auth/login} as a top-level navigation; {@code returnTo} is sent URL-encoded, or not at all when null. */
    Browser.Response start(Browser b, String returnTo) {
        String path = returnTo == null ? "/auth/login" : "/auth/login?returnTo=" + URLEncoder.encode(returnTo, StandardCharsets.UTF_8);
        Browser.Response r = b.navigate(path);
        remember(b);
        return r;
    }

    /** The provider's authorization URL that a started sign-in redirects to. */
    URI authorizationUrl(Browser b, String returnTo) {
        Browser.Response r = start(b, returnTo);
        assertThat(r.status()).as("login start").isEqualTo(302);
        return target(r);
    }

    /** Visits the provider's authorization endpoint and returns the callback URL it sends the browser to. */
    URI authorize(Browser b, URI authorizationUrl) {
        Browser.Response r = b.navigate(authorizationUrl.toString());
        assertThat(r.status()).as("provider authorize").isEqualTo(302);
        URI callback = target(r);
        assertThat(callback.getPath()).isEqualTo("/auth/callback");
        return callback;
    }

    /** A sign-in started in {@code b} and approved by the provider, with the callback not yet delivered. */
    URI callbackUrl(Browser b, String returnTo) {
        return authorize(b, authorizationUrl(b, returnTo));
    }

    /** Delivers a callback URL to the gateway as the provider's redirect would. */
    Browser.Response deliver(Browser b, URI callback) {
        Browser.Response r = b.navigate(callback.toString());
        remember(b);
        return r;
    }

    /** The whole sign-in of {@code user} in {@code b}; returns the gateway's answer to the callback. */
    Browser.Response signIn(Browser b, String user, String returnTo) {
        URI callback = callbackUrl(b, returnTo);
        h.user(user).enqueue();
        return deliver(b, callback);
    }

    void remember(Browser b) {
        cookieValues.addAll(b.cookies().values());
    }

    void remember(String value) {
        cookieValues.add(value);
    }

    Set<String> cookieValuesSeen() {
        return Set.copyOf(cookieValues);
    }

    static URI target(Browser.Response r) {
        assertThat(r.location()).as("Location of " + r.uri()).isNotNull();
        return r.uri().resolve(r.location());
    }

    /** Query parameters, decoded; the last value wins. */
    static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(name, value);
        }
        return out;
    }

    /** {@code uri} with parameter {@code name} replaced (added when absent, removed when {@code value} is null). */
    static URI withParam(URI uri, String name, String value) {
        StringBuilder q = new StringBuilder();
        boolean replaced = false;
        String raw = uri.getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String n = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8);
                if (n.equals(name)) {
                    if (value != null && !replaced) {
                        append(q, name, value);
                    }
                    replaced = true;
                } else {
                    q.append(q.length() == 0 ? "" : "&").append(pair);
                }
            }
        }
        if (!replaced && value != null) {
            append(q, name, value);
        }
        String s = uri.toString();
        int at = s.indexOf('?');
        return URI.create((at < 0 ? s : s.substring(0, at)) + (q.length() == 0 ? "" : "?" + q));
    }

    private static void append(StringBuilder q, String name, String value) {
        q.append(q.length() == 0 ? "" : "&").append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}
