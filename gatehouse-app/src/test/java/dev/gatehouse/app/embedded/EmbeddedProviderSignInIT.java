package dev.gatehouse.app.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.server.config.ConfigLoader;
import dev.gatehouse.server.config.GatewayConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code identity.provider: embedded} end to end, without a browser: the gateway signs in through the embedded
 * provider over OpenID Connect (its hosted sign-in form), relays and refreshes the provider's access token, and
 * a sign-out at either end ends the other's session too.
 */
class EmbeddedProviderSignInIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "a fine long password";
    private static final String JOB_SECRET = "reports-job-secret-0123456789abcdef";

    @TempDir
    Path dir;
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    HttpServer echo;
    EmbeddedGatehouse gatehouse;
    String gw;
    String idp;

    @BeforeEach
    void start() throws Exception {
        echo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        echo.createContext("/", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "" : auth);
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        echo.start();
        Files.writeString(dir.resolve("seed.yaml"), """
                users:
                  - {email: alice@example.com, name: Alice, password: "${ALICE_PASSWORD}", email_verified: true}
                organizations:
                  - {slug: acme, name: Acme, members: [{email: alice@example.com, role: org:admin}]}
                """);
        GatewayConfig config = new ConfigLoader(name -> null).parse("""
                listen: 127.0.0.1:0
                admin_listen: 'off'
                identity:
                  provider: embedded
                  # longer than the access token lives: every relayed call refreshes it (no clock games: the
                  # gateway's ID token check reads the system time)
                  refresh_before_expiry: 5m
                  embedded:
                    listen: 127.0.0.1:0
                    database: {url: 'jdbc:h2:file:%1$s/gatehouse'}
                    signing_key_file: '%1$s/identity-keys.json'
                    seed: '%1$s/seed.yaml'
                    access_token_lifetime: 1m
                    clients:
                      - {id: reports-job, secret: %3$s, grant_types: [client_credentials]}
                signing: {key_file: '%1$s/signing-keys.json'}
                routes:
                  - {match: /api/echo/**, upstream: 'http://127.0.0.1:%2$d', token: relay}
                  - {match: /**, upstream: 'http://127.0.0.1:%2$d', access: public}
                """.formatted(dir, echo.getAddress().getPort(), JOB_SECRET));
        gatehouse = EmbeddedGatehouse.start(config, Map.of("ALICE_PASSWORD", PASSWORD)::get, java.time.Clock.systemUTC(),
                new SecureRandom());
        gw = gatehouse.publicUrl().toString();
        idp = gatehouse.issuer().toString();
    }

    @AfterEach
    void stop() {
        if (gatehouse != null) {
            gatehouse.close();
        }
        echo.stop(0);
    }

    /** Signs in on the provider's form from a navigation to a gateway page; returns the hops after the form. */
    private List<ScriptedBrowser.Response> signIn(ScriptedBrowser browser) {
        List<ScriptedBrowser.Response> toForm = browser.navigateFollowing(gw + "/auth/login?returnTo=/api/echo/start");
        ScriptedBrowser.Response form = last(toForm);
        assertThat(form.uri().toString()).startsWith(idp + "/sign-in");
        List<ScriptedBrowser.Response> after = browser.submit(form, Map.of("email", "alice@example.com", "password", PASSWORD));
        assertThat(last(after).uri().toString()).isEqualTo(gw + "/api/echo/start");
        return after;
    }

    private static ScriptedBrowser.Response last(List<ScriptedBrowser.Response> hops) {
        return hops.get(hops.size() - 1);
    }

    private static JsonNode claims(String authorization) throws Exception {
        String jwt = authorization.substring("Bearer ".length());
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    @Test
    void gatewaySignsInThroughTheEmbeddedProviderAndRelaysAndRefreshesItsAccessToken() throws Exception {
        // One login path: the gateway treats its own provider like Keycloak, so everything proven against outside
        // providers holds here, and nothing about the embedded one is special-cased.
        ScriptedBrowser browser = new ScriptedBrowser();
        signIn(browser);

        ScriptedBrowser.Response session = browser.fetch("GET", gw + "/api/auth/session");
        assertThat(session.status()).isEqualTo(200);
        JsonNode s = JSON.readTree(session.body());
        assertThat(s.at("/user/email").asText()).isEqualTo("alice@example.com");
        assertThat(s.at("/user/name").asText()).isEqualTo("Alice");
        assertThat(s.at("/organization/slug").asText()).isEqualTo("acme");
        assertThat(s.at("/organization/role").asText()).isEqualTo("org:admin");

        assertThat(browser.fetch("GET", gw + "/api/echo/1").status()).isEqualTo(200);
        JsonNode first = claims(authorizations.get(authorizations.size() - 1));
        assertThat(first.get("iss").asText()).isEqualTo(idp);
        assertThat(first.get("sub").asText()).isEqualTo(s.at("/user/id").asText());

        // The access token always expires within refresh_before_expiry here, so each relayed call refreshes it
        // with the provider's refresh token, which rotates at every use (a reused one would revoke the family and
        // end the session): three calls, three different tokens, the session alive throughout.
        assertThat(browser.fetch("GET", gw + "/api/echo/2").status()).isEqualTo(200);
        JsonNode second = claims(authorizations.get(authorizations.size() - 1));
        assertThat(browser.fetch("GET", gw + "/api/echo/3").status()).isEqualTo(200);
        JsonNode third = claims(authorizations.get(authorizations.size() - 1));
        assertThat(List.of(first.get("jti").asText(), second.get("jti").asText(), third.get("jti").asText())).doesNotHaveDuplicates();
        assertThat(third.get("exp").asLong()).isGreaterThanOrEqualTo(first.get("exp").asLong());
        assertThat(third.get("sub").asText()).isEqualTo(first.get("sub").asText());
        assertThat(browser.fetch("GET", gw + "/api/auth/session").status()).isEqualTo(200);
        // and the browser never held any of them
        assertThat(browser.seen).allSatisfy(r -> assertThat(r.body()).doesNotContain(
                authorizations.get(1).substring(7), authorizations.get(2).substring(7), authorizations.get(3).substring(7)));
    }

    @Test
    void clientsListedInTheConfigAreRegisteredWithTheProvider() throws Exception {
        // identity.embedded.clients is how services and scripts get their own credentials: a listed client gets
        // tokens with its secret, and nobody gets them without it.
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.Function<String, java.net.http.HttpResponse<String>> token = secret -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(idp + "/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                                ("reports-job:" + secret).getBytes(StandardCharsets.UTF_8)))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };

        java.net.http.HttpResponse<String> granted = token.apply(JOB_SECRET);
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
        JsonNode accessToken = claims("Bearer " + JSON.readTree(granted.body()).get("access_token").asText());
        assertThat(accessToken.get("sub").asText()).isEqualTo("reports-job");
        assertThat(accessToken.get("iss").asText()).isEqualTo(idp);
        assertThat(token.apply(JOB_SECRET + "x").statusCode()).isEqualTo(401);
    }

    @Test
    void signingOutAtTheGatewayEndsTheProviderSessionToo() throws Exception {
        // Otherwise "sign out" would be undone by the next click on "sign in", which the provider would answer
        // without asking for a password: a shared computer stays signed in.
        ScriptedBrowser browser = new ScriptedBrowser();
        signIn(browser);
        // while the provider's own session lives, a new gateway sign-in needs no form (this is what must end)
        List<ScriptedBrowser.Response> silent = browser.navigateFollowing(gw + "/auth/login?returnTo=/api/echo/again");
        assertThat(last(silent).uri().toString()).isEqualTo(gw + "/api/echo/again");
        assertThat(silent).noneMatch(r -> r.uri().toString().startsWith(idp + "/sign-in"));

        ScriptedBrowser.Response logout = browser.fetch("POST", gw + "/auth/logout");
        assertThat(logout.status()).isEqualTo(200);
        String logoutUrl = JSON.readTree(logout.body()).get("logoutUrl").asText();
        assertThat(logoutUrl).startsWith(idp + "/end-session");
        List<ScriptedBrowser.Response> ended = browser.navigateFollowing(logoutUrl);
        assertThat(last(ended).uri().toString()).isEqualTo(gw + "/");
        assertThat(browser.fetch("GET", gw + "/api/auth/session").status()).isEqualTo(401);

        List<ScriptedBrowser.Response> again = browser.navigateFollowing(gw + "/auth/login?returnTo=/");
        assertThat(last(again).uri().toString()).startsWith(idp + "/sign-in");
        assertThat(last(again).body()).contains("name=\"password\"");
    }

    @Test
    void signingOutAtTheProviderEndsTheGatewaySessionByBackchannelLogout() throws Exception {
        // Signing out of the provider directly (its own sign-out page) must reach the gateway, which the launcher
        // registered with its back-channel logout URL: the gateway session ends without the browser's help.
        ScriptedBrowser browser = new ScriptedBrowser();
        signIn(browser);
        ScriptedBrowser gatewayOnly = new ScriptedBrowser();
        assertThat(browser.fetch("GET", gw + "/api/auth/session").status()).isEqualTo(200);

        ScriptedBrowser.Response confirm = last(browser.navigateFollowing(idp + "/sign-out"));
        assertThat(confirm.status()).isEqualTo(200);
        browser.submit(confirm, Map.of());

        // the logout token is posted by the provider on its own thread: wait (bounded) for its effect
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status = 200;
        while (status == 200 && System.nanoTime() < deadline) {
            status = browser.fetch("GET", gw + "/api/auth/session").status();
            if (status == 200) {
                java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }
        assertThat(status).as("the gateway session ended after the provider's back-channel logout").isEqualTo(401);
        assertThat(gatewayOnly.fetch("GET", gw + "/api/auth/session").status()).isEqualTo(401);
    }
}
