package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/** Assertions that nothing secret escaped: into gateway responses, into error pages, or into log lines. */
final class LeakCheck {
    static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]+");

    private LeakCheck() {
    }

    /**
     * The end-of-class check. No browser response of {@code h} held a JWT, a token the upstreams received or any
     * of {@code secrets} (client secret, refresh tokens the test saw); no log line of the JVM holds a JWT-shaped
     * string, a secret or any of {@code cookieValues} (session and login cookies, which legitimately appear only
     * in {@code Set-Cookie}).
     */
    static void assertNothingLeaked(GatewayHarness h, Collection<String> secrets, Collection<String> cookieValues) {
        List<String> tokens = new java.util.ArrayList<>(h.tokensSeenUpstream());
        tokens.addAll(secrets);
        assertThat(h.responses().leaks(tokens)).as("browser responses holding a token or secret").isEmpty();
        List<String> lines = LogRecorder.lines();
        assertThat(lines).as("log lines holding a JWT").noneMatch(l -> JWT.matcher(l).find());
        List<String> hidden = new java.util.ArrayList<>(tokens);
        hidden.addAll(cookieValues);
        for (String secret : hidden) {
            if (secret != null && secret.length() >= 8) {
                assertThat(lines).as("log lines holding a cookie value, token or secret").noneMatch(l -> l.contains(secret));
            }
        }
    }

    /**
     * A sign-in error page: the status, HTML that cannot be cached or framed, and no stack trace, JWT or any of
     * {@code secrets} (codes, states, cookie values) in headers or body.
     */
    static void assertCleanErrorPage(Browser.Response r, int status, String... secrets) {
        assertThat(r.status()).as("status of " + r.uri().getPath() + ": " + r.body()).isEqualTo(status);
        assertThat(r.header("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(r.header("cache-control")).contains("no-store");
        assertThat(r.header("content-security-policy")).hasValueSatisfying(v -> assertThat(v).contains("frame-ancestors 'none'"));
        assertThat(r.location()).isNull();
        String all = r.headers().map() + "\n" + r.body();
        assertThat(all).doesNotContain("Exception", "\tat ", "at dev.gatehouse", "at java.", "at io.vertx", "Caused by");
        assertThat(r.body()).as("external content or links").doesNotContain("src=", "<script", "://");
        assertThat(JWT.matcher(all).find()).as("JWT in error page").isFalse();
        for (String s : secrets) {
            if (s != null && !s.isEmpty()) {
                assertThat(all).doesNotContain(s);
            }
        }
    }
}
