package dev.gatehouse.server.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver with a fresh profile directory. Both binaries
 * are named explicitly so Selenium Manager never runs (it would try to download a browser on this closed network).
 * The flags keep Chromium from calling out to Google's services at start.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /** What a {@code fetch()} run inside the page answered. */
    record FetchResult(int status, String body) {
    }

    final ChromeDriver driver;
    private final ChromeDriverService service;

    private HeadlessChromium(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    /**
     * Skips the calling test when Chromium or chromedriver is not installed, with a message saying what to install;
     * fails instead when {@code GATEHOUSE_REQUIRE_SERVICES=1} (CI), so a missing browser cannot pass silently there.
     */
    static void assumeInstalled() {
        List<String> missing = new ArrayList<>();
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                missing.add(p.toString());
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = "real-browser test needs " + String.join(" and ", missing)
                + " (apt-get install chromium chromium-driver)";
        if ("1".equals(System.getenv("GATEHOUSE_REQUIRE_SERVICES"))) {
            fail(message + "; GATEHOUSE_REQUIRE_SERVICES=1 makes a missing browser a failure");
        }
        // Printed as well, because Maven's summary counts skipped tests without saying why.
        System.err.println("ChromiumSignInIT skipped: " + message);
        Assumptions.abort("skipped: " + message);
    }

    static HeadlessChromium start(Path profileDir) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profileDir.toAbsolutePath(), "--window-size=1000,700");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
        // A bound on how long one in-page fetch may take before the test fails, not a timing assertion.
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        return new HeadlessChromium(service, driver);
    }

    /** Runs {@code fetch(path, {method, headers, credentials: 'same-origin'})} in the current page. */
    FetchResult fetch(String method, String path, Map<String, String> headers) {
        Object out = driver.executeAsyncScript(String.join("\n",
                "const [method, path, headers, done] = arguments;",
                "fetch(path, {method: method, headers: headers, credentials: 'same-origin'})",
                "  .then(r => r.text().then(body => done({status: r.status, body: body})))",
                "  .catch(e => done({status: -1, body: String(e)}));"),
                method, path, headers);
        Map<?, ?> result = (Map<?, ?>) out;
        return new FetchResult(((Number) result.get("status")).intValue(), String.valueOf(result.get("body")));
    }

    /** The page's {@code document.cookie}: what scripts in the page (and so an XSS) can read. */
    String documentCookie() {
        return String.valueOf(driver.executeScript("return document.cookie;"));
    }

    void screenshot(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
