package dev.gatehouse.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./gatehouse demo} as a user runs it: the script, the packaged jar, a real process stopped by SIGTERM. */
class DemoLauncherIT {
    private static final Path SCRIPT = Path.of("..", "gatehouse").toAbsolutePath().normalize();
    private static final Pattern OPEN = Pattern.compile("^\\s+Open\\s+(http://127\\.0\\.0\\.1:\\d+)");
    private static final Pattern PASSWORD = Pattern.compile("^\\s+Password\\s+(\\S+)\\s+\\((new account|from [^)]*)");

    @TempDir
    Path dir;

    /** What one run printed up to the end of its banner. */
    record Banner(List<String> lines, String url, String password, String passwordNote) {
    }

    @Test
    void demoPrintsUrlAndCredentialsServesTheAppStopsOnSigtermAndKeepsItsStateForTheNextStart() throws Exception {
        // The first thing a new user runs: it must say where to go and how to sign in, work there, stop cleanly on
        // Ctrl-C (SIGTERM here) and, started again on the same data, still know the account it made.
        Path data = dir.resolve("data");
        Banner first = runUntilStopped(data, url -> {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<title>Gatehouse demo</title>");
            HttpResponse<String> session = http.send(HttpRequest.newBuilder(URI.create(url + "/api/auth/session")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(session.statusCode()).isEqualTo(401);
            HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(url + "/api/billing/")).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).isEqualTo(401);
        });
        assertThat(first.lines()).anySatisfy(l -> assertThat(l).contains("Sign in    demo@example.com"));
        assertThat(first.password()).hasSizeGreaterThanOrEqualTo(10);
        assertThat(first.passwordNote()).isEqualTo("new account");
        assertThat(Files.readString(data.resolve("demo-password")).strip()).isEqualTo(first.password());
        assertThat(Files.getPosixFilePermissions(data.resolve("demo-password")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(data.resolve("gatehouse.mv.db")).exists();

        Banner second = runUntilStopped(data, url -> { });
        assertThat(second.password()).isEqualTo(first.password());
        assertThat(second.passwordNote()).startsWith("from ");
    }

    interface WhileRunning {
        void check(String url) throws Exception;
    }

    private Banner runUntilStopped(Path data, WhileRunning check) throws Exception {
        Process demo = new ProcessBuilder(SCRIPT.toString(), "demo", "--port", "0", "--provider-port", "0", "--data-dir", data.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            String url = null;
            String password = null;
            String note = null;
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                Matcher open = OPEN.matcher(line);
                if (open.find()) {
                    url = open.group(1);
                }
                Matcher pw = PASSWORD.matcher(line);
                if (pw.find()) {
                    password = pw.group(1);
                    note = pw.group(2);
                }
                if (line.startsWith("Press Ctrl-C to stop.")) {
                    break;
                }
            }
            assertThat(url).as("the demo announces its URL:\n" + String.join("\n", lines)).isNotNull();
            assertThat(password).as("the demo prints the password:\n" + String.join("\n", lines)).isNotNull();
            check.check(url);

            // SIGTERM as Ctrl-C's sibling (Process.destroy() would also close our end of its output)
            assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(demo.pid())).start().waitFor()).isZero();
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("the demo stops on SIGTERM").isTrue();
            // the JVM's answer to SIGTERM once its shutdown hooks ran: 128 + 15
            assertThat(demo.exitValue()).isEqualTo(143);
            StringBuilder rest = new StringBuilder();
            while ((line = out.readLine()) != null) {
                rest.append(line).append('\n');
            }
            assertThat(rest).doesNotContain("Exception");
            HttpClient http = HttpClient.newHttpClient();
            String stoppedUrl = url;
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> http.send(
                    HttpRequest.newBuilder(URI.create(stoppedUrl + "/")).build(), HttpResponse.BodyHandlers.ofString())))
                    .as("nothing listens after the stop").isInstanceOf(java.io.IOException.class);
            return new Banner(lines, url, password, note);
        } finally {
            demo.destroyForcibly();
        }
    }
}
