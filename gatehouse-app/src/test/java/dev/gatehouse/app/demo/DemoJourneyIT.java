package dev.gatehouse.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The demo as a person uses it, in a real headless Chromium: sign up on the provider's hosted page, sign in, see
 * yourself in the SPA, call the APIs, switch organization, get 403 then 200 from the permission-protected API
 * (decided by the API itself with the SDK), sign out, and find both APIs closed. Each step leaves a screenshot in
 * {@code target/demo-journey/} for a person to look at.
 */
class DemoJourneyIT {
    private static final Path SHOTS = Path.of(System.getProperty("basedir", "."), "target", "demo-journey");

    @Test
    void signUpSignInCallApisSwitchOrganizationAndSignOutInChromium(@TempDir Path data, @TempDir Path profile) throws Exception {
        // Everything the demo promises on its banner, proven in the browser it is meant for, through the real
        // provider pages, the real gateway and the real APIs; nothing is stubbed.
        Chromium.assumeInstalled("DemoJourneyIT");
        // Fixed ports (looked up free just before), as `./gatehouse demo` runs: the URLs are then http://localhost:PORT
        // for both the gateway and the provider, exactly what a user opens.
        try (Demo demo = Demo.start(new Demo.Options(freePort(), freePort(), data), Clock.systemUTC(), new SecureRandom());
             Chromium chromium = Chromium.start(profile)) {
            var driver = chromium.driver;
            String app = demo.url().toString();
            String provider = demo.providerUrl().toString();
            assertThat(app).startsWith("http://localhost:");
            assertThat(provider).startsWith("http://localhost:");

            // 1. Signed out, the SPA offers to sign in.
            driver.get(app + "/");
            chromium.visible("signed-out");
            chromium.screenshot(SHOTS.resolve("01-signed-out.png"));

            // 2. Sign-in goes to the provider's page, which links to sign-up; a new account is made there.
            chromium.visible("sign-in").click();
            chromium.until("the provider's sign-in page", d -> d.getCurrentUrl().startsWith(provider + "/sign-in"));
            driver.findElement(By.linkText("Create one")).click();
            chromium.until("the provider's sign-up page", d -> d.getCurrentUrl().startsWith(provider + "/sign-up"));
            driver.findElement(By.id("name")).sendKeys("Nova Newcomer");
            driver.findElement(By.id("email")).sendKeys("nova@example.com");
            driver.findElement(By.id("password")).sendKeys("a long enough passphrase");
            chromium.screenshot(SHOTS.resolve("02-sign-up.png"));
            driver.findElement(By.cssSelector("form button[type=submit]")).click();

            // 3. Back in the SPA, signed in as the new user, who belongs to no organization yet.
            chooseOrganizationIfAsked(chromium, provider, null);
            chromium.visible("signed-in");
            assertThat(driver.getCurrentUrl()).startsWith(app);
            assertThat(chromium.text("user-email")).isEqualTo("nova@example.com");
            assertThat(chromium.text("user-name")).isEqualTo("Nova Newcomer");
            assertThat(chromium.text("org-slug")).isEqualTo("none");
            chromium.visible("call-projects").click();
            chromium.until("the projects API answered", d -> !chromium.text("projects-status").matches("-|\\.\\.\\."));
            assertThat(chromium.text("projects-status")).isEqualTo("200");
            assertThat(chromium.text("projects-body")).contains("\"email\": \"nova@example.com\"", "\"audience\": \"projects-api\"");
            chromium.screenshot(SHOTS.resolve("03-new-user-signed-in.png"));

            // 4. Sign out (gateway and provider), then sign in as the seeded demo user with the printed password:
            //    the provider asks for the password again, so its own session ended too.
            signOut(chromium, app, provider);
            chromium.visible("sign-in").click();
            chromium.until("the provider's sign-in page", d -> d.getCurrentUrl().startsWith(provider + "/sign-in"));
            driver.findElement(By.id("email")).sendKeys(Demo.DEMO_EMAIL);
            driver.findElement(By.id("password")).sendKeys(((Demo.Password.New) demo.password()).value());
            chromium.screenshot(SHOTS.resolve("04-sign-in.png"));
            driver.findElement(By.cssSelector("form button[type=submit]")).click();
            chooseOrganizationIfAsked(chromium, provider, "acme");
            chromium.visible("signed-in");
            assertThat(chromium.text("user-email")).isEqualTo(Demo.DEMO_EMAIL);
            chromium.screenshot(SHOTS.resolve("05-demo-user-signed-in.png"));

            // 5. In Acme (org:admin) both APIs answer 200: billing's own SDK check finds org:billing:read.
            switchTo(chromium, "acme");
            assertThat(chromium.text("org-role")).isEqualTo("org:admin");
            assertThat(call(chromium, "projects")).isEqualTo("200");
            assertThat(call(chromium, "billing")).isEqualTo("200");
            assertThat(chromium.text("billing-body")).contains("\"organization\": \"acme\"", "\"audience\": \"billing-api\"");
            chromium.screenshot(SHOTS.resolve("06-acme-billing-200.png"));

            // 6. In Globex (org:member) the billing API refuses: 403 from the API, not from the gateway.
            switchTo(chromium, "globex");
            assertThat(chromium.text("org-role")).isEqualTo("org:member");
            assertThat(call(chromium, "billing")).isEqualTo("403");
            assertThat(chromium.text("billing-body")).contains("\"api\": \"billing\"", "\"reason\": \"missing_permission\"");
            assertThat(call(chromium, "projects")).isEqualTo("200");
            chromium.screenshot(SHOTS.resolve("07-globex-billing-403.png"));

            // 7. And back in Acme it is 200 again: the next minted token carries the switched organization.
            switchTo(chromium, "acme");
            assertThat(call(chromium, "billing")).isEqualTo("200");
            chromium.screenshot(SHOTS.resolve("08-acme-again-billing-200.png"));

            // 8. Signed out, both APIs answer 401 to the same page's fetches.
            signOut(chromium, app, provider);
            Chromium.FetchResult projects = chromium.fetch("GET", "/api/projects/", Map.of("Accept", "application/json"));
            Chromium.FetchResult billing = chromium.fetch("GET", "/api/billing/", Map.of("Accept", "application/json"));
            assertThat(projects.status()).isEqualTo(401);
            assertThat(billing.status()).isEqualTo(401);
            chromium.screenshot(SHOTS.resolve("09-signed-out-apis-401.png"));
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The provider may ask which organization to use when the user has several; pick {@code slug}, or the first. */
    private static void chooseOrganizationIfAsked(Chromium chromium, String provider, String slug) {
        chromium.until("back in the SPA or on the organization chooser", d ->
                d.getCurrentUrl().startsWith(provider + "/choose-organization") || !d.findElements(By.id("signed-in")).isEmpty()
                        && d.findElement(By.id("signed-in")).isDisplayed());
        if (!chromium.driver.getCurrentUrl().startsWith(provider + "/choose-organization")) {
            return;
        }
        for (WebElement choice : chromium.driver.findElements(By.cssSelector("button[name=organization]"))) {
            if (slug == null || choice.getText().contains(slug)) {
                choice.click();
                return;
            }
        }
        throw new AssertionError("no organization " + slug + " on the chooser");
    }

    private static void switchTo(Chromium chromium, String slug) {
        if (chromium.text("org-slug").startsWith(slug + " ")) {
            return;
        }
        chromium.visible("org-select").findElement(By.cssSelector("option[data-slug='" + slug + "']")).click();
        chromium.driver.findElement(By.id("switch-org")).click();
        chromium.until("the SPA shows " + slug + " as active", d -> chromium.text("org-slug").startsWith(slug + " "));
    }

    /** Clicks the API's button and returns the status the SPA shows once the answer is in. */
    private static String call(Chromium chromium, String api) {
        chromium.visible("call-" + api).click();
        chromium.until(api + " answered", d -> !chromium.text(api + "-status").matches("-|\\.\\.\\."));
        return chromium.text(api + "-status");
    }

    /** The SPA's sign-out: gateway first, then the provider's end-session page (confirmed if it asks), back to the SPA. */
    private static void signOut(Chromium chromium, String app, String provider) {
        chromium.visible("sign-out").click();
        chromium.until("signed out, or asked to confirm at the provider", d ->
                d.getCurrentUrl().startsWith(provider) && !d.findElements(By.cssSelector("form[action='/sign-out']")).isEmpty()
                        || d.getCurrentUrl().startsWith(app) && !d.findElements(By.id("signed-out")).isEmpty()
                        && d.findElement(By.id("signed-out")).isDisplayed());
        if (chromium.driver.getCurrentUrl().startsWith(provider)) {
            chromium.driver.findElement(By.cssSelector("form[action='/sign-out'] button[type=submit]")).click();
        }
        chromium.visible("signed-out");
        assertThat(chromium.driver.getCurrentUrl()).startsWith(app);
    }
}
