package dev.gatehouse.app.demo;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, through Debian's chromedriver, with a fresh profile (the flags of BRIEF section 4,
 * so it calls out to nothing). Both binaries are named, so Selenium Manager never tries to download a browser.
 */
final class Chromium implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** An upper bound for a page or a fetch to settle; waits end as soon as their condition holds. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    record FetchResult(int status, String body) {
    }

    final ChromeDriver driver;
    private final ChromeDriverService service;

    private Chromium(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    /** Skips the test (with a printed reason) when Chromium is missing; fails instead under GATEHOUSE_REQUIRE_SERVICES=1. */
    static void assumeInstalled(String test) {
        List<String> missing = new ArrayList<>();
        for (Path p : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(p)) {
                missing.add(p.toString());
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String message = test + " needs " + String.join(" and ", missing) + " (apt-get install chromium chromium-driver)";
        if ("1".equals(System.getenv("GATEHOUSE_REQUIRE_SERVICES"))) {
            fail(message + "; GATEHOUSE_REQUIRE_SERVICES=1 makes a missing browser a failure");
        }
        System.err.println(test + " skipped: " + message);
        Assumptions.abort("skipped: " + message);
    }

    static Chromium start(Path profileDir) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profileDir.toAbsolutePath(), "--window-size=1100,900");
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
        driver.manage().timeouts().scriptTimeout(PATIENCE);
        return new Chromium(service, driver);
    }

    /**
     * Waits until {@code condition} gives a non-null, non-false value: the page is polled every 50 ms and the wait
     * ends as soon as it holds, failing with {@code what} after {@link #PATIENCE}. (Selenium's own WebDriverWait
     * lives in selenium-support, a dependency this module does not need for one loop.)
     */
    <T> T until(String what, Function<WebDriver, T> condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = condition.apply(driver);
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException e) {
                last = e;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        throw new AssertionError("waited " + PATIENCE.toSeconds() + " s for: " + what + " (at " + driver.getCurrentUrl() + ")", last);
    }

    WebElement visible(String id) {
        return until("#" + id + " is shown", d -> {
            WebElement e = d.findElement(By.id(id));
            return e.isDisplayed() ? e : null;
        });
    }

    String text(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    /** Runs {@code fetch(path)} in the current page with its cookies, as the SPA does. */
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
