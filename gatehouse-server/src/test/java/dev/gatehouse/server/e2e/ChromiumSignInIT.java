package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;

/**
 * The one test with a real browser: Debian's headless Chromium signs in on the provider's own HTML page and then
 * uses the gateway the way a SPA does, with nothing but the cookie the browser itself keeps.
 */
class ChromiumSignInIT {
    private static final Path TARGET = Path.of(System.getProperty("basedir", "."), "target");

    @Test
    void chromiumSignsInOnProviderPageAndCallsApiHoldingOnlyAnHttpOnlyCookie(@TempDir Path profile) throws Exception {
        // The BFF promise in a real browser: it accepts our Secure HttpOnly cookie over http://127.0.0.1, scripts
        // cannot read it, same-origin fetches reach the API with the user's token, and CSRF still guards writes.
        HeadlessChromium.assumeInstalled();
        try (GatewayHarness h = GatewayHarness.builder().interactiveLogin().start();
             HeadlessChromium chromium = HeadlessChromium.start(profile)) {
            var driver = chromium.driver;

            // An authenticated page sends a navigating browser to sign in, which lands on the provider's form.
            driver.get(h.baseUrl() + "/app/dashboard");
            assertThat(driver.getCurrentUrl()).startsWith(h.issuer() + "/authorize");
            driver.findElement(By.name("username")).sendKeys("carol");
            driver.findElement(By.name("claims")).sendKeys("{\"email\": \"carol@example.com\", \"name\": \"Carol\"}");
            chromium.screenshot(TARGET.resolve("chromium-provider-login.png"));
            driver.findElement(By.cssSelector("input[type=submit]")).click();

            // Back on the gateway, at the page the user first asked for, served by the SPA upstream.
            assertThat(driver.getCurrentUrl()).isEqualTo(h.baseUrl() + "/app/dashboard");
            // (Chromium also asks for /favicon.ico on its own, so look for the page among what the SPA saw.)
            assertThat(h.spa.seen()).extracting(EchoUpstream.Seen::uri).contains("/app/dashboard");
            chromium.screenshot(TARGET.resolve("chromium-signin.png"));

            // Chromium kept the session cookie (so the next checks are not vacuous), and no script can read it.
            Cookie session = driver.manage().getCookieNamed(h.cookieName());
            assertThat(session).as("Chromium stored the gatehouse cookie").isNotNull();
            assertThat(session.isHttpOnly()).isTrue();
            assertThat(session.isSecure()).isTrue();
            assertThat(chromium.documentCookie()).doesNotContain("gatehouse");

            // A same-origin fetch carries only the cookie; the gateway relays the access token of the typed user.
            HeadlessChromium.FetchResult order = chromium.fetch("GET", "/api/orders/1", Map.of());
            assertThat(order.status()).isEqualTo(200);
            EchoUpstream.Seen seen = h.api.last();
            assertThat(seen.uri()).isEqualTo("/orders/1");
            assertThat(seen.header("authorization")).startsWith("Bearer ");
            String accessToken = seen.header("authorization").substring("Bearer ".length());
            assertThat(GatewayHarness.claims(accessToken)).containsEntry("sub", "carol");
            assertThat(seen.header("cookie")).satisfiesAnyOf(
                    c -> assertThat(c).isNull(), c -> assertThat(c).doesNotContain("gatehouse"));

            HeadlessChromium.FetchResult me = chromium.fetch("GET", "/api/auth/session", Map.of());
            assertThat(me.status()).isEqualTo(200);
            JsonObject user = new JsonObject(me.body()).getJsonObject("user");
            assertThat(user.getString("id")).isEqualTo("carol");
            assertThat(user.getString("email")).isEqualTo("carol@example.com");

            // A write without the CSRF header is refused before the upstream; the same write with it goes through.
            int before = h.api.count();
            HeadlessChromium.FetchResult forged = chromium.fetch("POST", "/api/orders/1", Map.of());
            assertThat(forged.status()).isEqualTo(403);
            assertThat(new JsonObject(forged.body()).getString("reason")).isEqualTo("csrf_failed");
            assertThat(h.api.count()).isEqualTo(before);
            HeadlessChromium.FetchResult write = chromium.fetch("POST", "/api/orders/1", Map.of("X-CSRF", "1"));
            assertThat(write.status()).isEqualTo(200);
            assertThat(h.api.last().method()).isEqualTo("POST");

            // Nothing the browser was given holds the token.
            for (String seenByBrowser : new String[] {driver.getPageSource(), order.body(), me.body(), forged.body(), write.body()}) {
                assertThat(seenByBrowser).doesNotContain(accessToken);
            }
            assertThat(driver.manage().getCookies()).allSatisfy(c -> assertThat(c.getValue()).doesNotContain(accessToken));
        }
    }
}
