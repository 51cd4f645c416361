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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ./gatehouse} script from the repository root, as a user runs it, on the packaged jar. */
class LauncherIT {
    private static final Path SCRIPT = Path.of("..", "gatehouse").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void checkExitsZeroForAValidConfigAndOneWithEveryErrorListed() throws Exception {
        // Operators validate configs in CI before deploying: the exit status and the error list are the contract.
        Path good = write("good.yaml", config("http://127.0.0.1:9/realms/x", "http://127.0.0.1:9001"));
        Process ok = run("check", "--config", good.toString());
        assertThat(ok.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(ok.exitValue()).isZero();
        assertThat(output(ok)).contains("OK");

        Path bad = write("bad.yaml", "session: {idle_timeout: soon}\nidentity: {issuer: 'ftp://x', client_id: gh, client_secret: s}\n"
                + "routes:\n  - {match: /api/**, upstream: not-a-url, acess: public}\n");
        Process failed = run("check", "--config", bad.toString());
        assertThat(failed.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(failed.exitValue()).isEqualTo(1);
        assertThat(output(failed)).contains(
                "session.idle_timeout: not a duration",
                "identity.issuer: not a URL",
                "routes[0].upstream: not a URL",
                "routes[0].acess: unknown key");
    }

    @Test
    void serveStartsTheGatewayAndStaysLiveWhileTheProviderIsDown() throws Exception {
        // A provider outage at start-up must not stop the gateway: it serves, reports not-ready, and retries.
        Path file = write("serve.yaml", config("http://127.0.0.1:9/realms/x", "http://127.0.0.1:9001"));
        Process serve = run("serve", "--config", file.toString());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            Pattern serving = Pattern.compile("Gatehouse is serving (http://127\\.0\\.0\\.1:\\d+)");
            String base = null;
            String line;
            while (base == null && (line = out.readLine()) != null) {
                Matcher m = serving.matcher(line);
                if (m.find()) {
                    base = m.group(1);
                }
            }
            assertThat(base).as("serve announces its URL").isNotNull();
            HttpClient http = HttpClient.newHttpClient();
            assertThat(get(http, base + "/auth/health/live").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(http, base + "/auth/health");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"identityProvider\":\"DOWN\"");
        } finally {
            serve.destroy();
            serve.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void serveStartsTheEmbeddedProviderAndTheGatewaySignsInThroughIt() throws Exception {
        // `serve` with identity.provider: embedded runs both in one process; the gateway is ready only once it has
        // discovered the provider, so a ready health check proves it found and registered with it.
        Path file = write("embedded.yaml", "listen: 127.0.0.1:0\nadmin_listen: 'off'\nidentity:\n  provider: embedded\n"
                + "  embedded:\n    listen: 127.0.0.1:0\n    database: {url: 'jdbc:h2:file:" + dir.resolve("data/gatehouse") + "'}\n"
                + "    signing_key_file: '" + dir.resolve("data/identity-keys.json") + "'\n"
                + "signing: {key_file: '" + dir.resolve("data/signing-keys.json") + "'}\n"
                + "routes:\n  - {match: /**, upstream: 'http://127.0.0.1:9', access: public}\n");
        Process serve = run("serve", "--config", file.toString());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(serve.getInputStream(), StandardCharsets.UTF_8));
            Pattern serving = Pattern.compile("Gatehouse is serving (http://127\\.0\\.0\\.1:\\d+) .*embedded identity provider at "
                    + "(http://127\\.0\\.0\\.1:\\d+)");
            Matcher found = null;
            String line;
            while (found == null && (line = out.readLine()) != null) {
                Matcher m = serving.matcher(line);
                if (m.find()) {
                    found = m;
                }
            }
            assertThat(found).as("serve announces the gateway and the provider").isNotNull();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> discovery = get(http, found.group(2) + "/.well-known/openid-configuration");
            assertThat(discovery.statusCode()).isEqualTo(200);
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(discovery.body()).get("issuer").asText())
                    .isEqualTo(found.group(2));
            HttpResponse<String> ready = get(http, found.group(1) + "/auth/health");
            assertThat(ready.body()).contains("\"identityProvider\":\"UP\"");
            HttpResponse<String> login = get(http, found.group(1) + "/auth/login");
            assertThat(login.statusCode()).isEqualTo(302);
            assertThat(login.headers().firstValue("location").orElseThrow()).startsWith(found.group(2) + "/authorize?");
        } finally {
            serve.destroy();
            serve.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String config(String issuer, String upstream) {
        return "listen: 127.0.0.1:0\nadmin_listen: 'off'\nidentity:\n  issuer: " + issuer + "\n  client_id: gatehouse\n"
                + "  client_secret: ${TEST_SECRET:-s3cret}\nroutes:\n  - {match: /**, upstream: '" + upstream + "', access: public}\n";
    }

    private Path write(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private static Process run(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = SCRIPT.toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static String output(Process p) throws Exception {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
