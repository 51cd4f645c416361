package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WebSockets through the gateway, with a real client (Vert.x's) and a real echo upstream: the route's rule and
 * the {@code Origin} are checked at the upgrade, the upstream handshake carries the minted token and no cookie,
 * and the socket dies with the session that opened it.
 */
class WebSocketIT {
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]+\\.?[A-Za-z0-9_-]*");
    private static final String BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout";
    private static final long WAIT_SECONDS = 10;

    static LiveUpstream live;
    static GatewayHarness h;
    static Vertx clientVertx;
    static WebSocketClient client;

    @BeforeAll
    static void start() throws Exception {
        live = new LiveUpstream();
        h = GatewayHarness.builder()
                .yaml("token_templates:\n  ws:\n    audience: live-api\n    claims: {email: '{{user.email}}'}")
                .csrf("allowed_origins: ['https://partner.test']")
                .routes(String.join("\n",
                        "  - {match: /api/live/**, upstream: " + live.url() + ", access: authenticated, token: {template: ws}}",
                        "  - {match: /api/staff/**, upstream: " + live.url() + ", access: authenticated, require: {permissions: ['org:live:read']}, token: {template: ws}}",
                        "  - {match: /**, upstream: %SPA%, access: public}"))
                .start();
        clientVertx = Vertx.vertx();
        client = clientVertx.createWebSocketClient();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (h != null) {
                List<String> secrets = new ArrayList<>(h.tokensSeenUpstream());
                secrets.addAll(live.bearerTokens());
                assertThat(h.responses().leaks(secrets)).isEmpty();
            }
            assertThat(LogRecorder.lines()).noneMatch(line -> JWT.matcher(line).find());
        } finally {
            if (clientVertx != null) {
                clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            if (h != null) {
                h.close();
            }
            live.close();
        }
    }

    @Test
    void signedInBrowserSocketEchoesBothWaysWithMintedTokenAndNoSessionCookieUpstream() throws Exception {
        // The point of the bridge: a cookie-only browser talks to a service that sees only a token made for it.
        Browser alice = h.signInAs("alice");
        alice.setCookie("theme", "dark");
        Client socket = open(alice, "/api/live/echo", h.baseUrl()).get(WAIT_SECONDS, TimeUnit.SECONDS);

        socket.ws.writeTextMessage("hello over the gateway");
        assertThat(socket.next()).isEqualTo("hello over the gateway");
        socket.ws.writeBinaryMessage(Buffer.buffer(new byte[] {0, 1, 2, (byte) 0xff}));
        assertThat(socket.next()).isEqualTo(Buffer.buffer(new byte[] {0, 1, 2, (byte) 0xff}));

        LiveUpstream.Socket seen = live.socket("/api/live/echo").get(WAIT_SECONDS, TimeUnit.SECONDS);
        String authorization = seen.header("authorization");
        assertThat(authorization).startsWith("Bearer ");
        Map<String, Object> claims = GatewayHarness.claims(authorization.substring(7));
        assertThat(claims).containsEntry("sub", "alice").containsEntry("iss", h.baseUrl()).containsEntry("email", "alice@example.com");
        assertThat(claims.get("aud")).isEqualTo(List.of("live-api"));
        assertThat(seen.header("cookie")).isEqualTo("theme=dark");
        assertThat(seen.header("x-forwarded-host")).isEqualTo(URI.create(h.baseUrl()).getRawAuthority());
    }

    @Test
    void messageTheUpstreamSendsOnOpenReachesTheBrowser() throws Exception {
        // Many services speak first (a greeting, a snapshot); the bridge must not drop what arrives before it is set up.
        Browser alice = h.signInAs("alice");
        Client socket = open(alice, "/api/live/greet", h.baseUrl()).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(socket.next()).isEqualTo("welcome");
        socket.ws.writeTextMessage("thanks");
        assertThat(socket.next()).isEqualTo("thanks");
    }

    @Test
    void upgradeWithoutSessionIsRefusedWith401AndNeverReachesUpstream() throws Exception {
        // The rule is checked at the upgrade: an anonymous socket must not even be opened to the service.
        int before = live.requests();
        Refusal refusal = refused(open(h.browser(), "/api/live/anonymous", h.baseUrl()));
        assertThat(refusal.status).isEqualTo(401);
        assertThat(refusal.body).contains("\"signedIn\":false");
        assertThat(live.requests()).isEqualTo(before);
    }

    @Test
    void upgradeByUserWithoutRequiredPermissionIsRefusedWith403() throws Exception {
        // A WebSocket route applies the same require: rules as plain requests; signed in is not enough.
        Browser bob = h.user("bob").organization("acme", "org:member", "org:billing:read").signIn();
        int before = live.requests();
        Refusal refusal = refused(open(bob, "/api/staff/console", h.baseUrl()));
        assertThat(refusal.status).isEqualTo(403);
        assertThat(refusal.body).contains("\"reason\":\"missing_permission\"");
        assertThat(live.requests()).isEqualTo(before);

        Browser carol = h.user("carol").organization("acme", "org:member", "org:live:read").signIn();
        Client allowed = open(carol, "/api/staff/console", h.baseUrl()).get(WAIT_SECONDS, TimeUnit.SECONDS);
        allowed.ws.writeTextMessage("ping");
        assertThat(allowed.next()).isEqualTo("ping");
    }

    @Test
    void upgradeFromForeignOriginIsRefusedBeforeReachingUpstream() throws Exception {
        // Cross-site WebSocket hijacking: another site's page can open a socket with the victim's cookie attached.
        Browser alice = h.signInAs("alice");
        int before = live.requests();
        Refusal evil = refused(open(alice, "/api/live/hijack", "https://evil.test"));
        assertThat(evil.status).isEqualTo(403);
        assertThat(evil.body).contains("origin_not_allowed");
        Refusal sibling = refused(open(alice, "/api/live/hijack", "https://partner.test.evil.test"));
        assertThat(sibling.status).isEqualTo(403);
        assertThat(sibling.body).contains("origin_not_allowed");
        assertThat(live.requests()).isEqualTo(before);
        assertThat(live.socket("/api/live/hijack")).isNotDone();
    }

    @Test
    void upgradeWithoutOriginIsRefused() throws Exception {
        // Browsers always send Origin on a WebSocket handshake, so a missing one is not a browser we can vouch for.
        Browser alice = h.signInAs("alice");
        int before = live.requests();
        Refusal refusal = refused(open(alice, "/api/live/no-origin", null));
        assertThat(refusal.status).isEqualTo(403);
        assertThat(refusal.body).contains("origin_not_allowed");
        assertThat(live.requests()).isEqualTo(before);
    }

    @Test
    void upgradeFromAllowedExtraOriginPasses() throws Exception {
        // csrf.allowed_origins names trusted front-ends on other origins; they may open sockets too.
        Browser alice = h.signInAs("alice");
        Client socket = open(alice, "/api/live/partner", "https://partner.test").get(WAIT_SECONDS, TimeUnit.SECONDS);
        socket.ws.writeTextMessage("from partner");
        assertThat(socket.next()).isEqualTo("from partner");
        assertThat(live.socket("/api/live/partner").get(WAIT_SECONDS, TimeUnit.SECONDS).header("authorization")).startsWith("Bearer ");
    }

    @Test
    void signingOutClosesTheOpenSocket() throws Exception {
        // A sign-out must end access everywhere, including a socket opened before it.
        Browser alice = h.signInAs("alice");
        Client socket = open(alice, "/api/live/logout", h.baseUrl()).get(WAIT_SECONDS, TimeUnit.SECONDS);
        LiveUpstream.Socket seen = live.socket("/api/live/logout").get(WAIT_SECONDS, TimeUnit.SECONDS);
        socket.ws.writeTextMessage("still here");
        assertThat(socket.next()).isEqualTo("still here");

        assertThat(alice.post("/auth/logout", null).status()).isEqualTo(200);

        assertThat(socket.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo((short) 1008);
        seen.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void backChannelLogoutClosesTheOpenSocket() throws Exception {
        // When the provider ends the user's session, the gateway's live connections for it must end too.
        String sid = "sid-" + UUID.randomUUID();
        Browser dave = h.user("dave").claim("sid", sid).signIn();
        Client socket = open(dave, "/api/live/backchannel", h.baseUrl()).get(WAIT_SECONDS, TimeUnit.SECONDS);
        LiveUpstream.Socket seen = live.socket("/api/live/backchannel").get(WAIT_SECONDS, TimeUnit.SECONDS);

        Browser.Response r = h.browser().send(h.browser().request("/auth/backchannel-logout")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("logout_token=" + logoutToken(sid)))
                .build());
        assertThat(r.status()).isEqualTo(200);

        assertThat(socket.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo((short) 1008);
        seen.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void sessionExpiryClosesTheOpenSocketWithinOneSweep() throws Exception {
        // An idle-expired session must not live on through a socket that was opened while it was valid.
        Browser erin = h.signInAs("erin");
        Client socket = open(erin, "/api/live/expiry", h.baseUrl()).get(WAIT_SECONDS, TimeUnit.SECONDS);
        LiveUpstream.Socket seen = live.socket("/api/live/expiry").get(WAIT_SECONDS, TimeUnit.SECONDS);
        Duration past = h.config.session().idleTimeout().plusMinutes(1);
        h.clock.advance(past);
        try {
            assertThat(socket.closed.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo((short) 1008);
            seen.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } finally {
            h.clock.advance(past.negated()); // the other tests' logout tokens are stamped with real time
        }
    }

    @Test
    void upstreamClosingTheSocketClosesTheBrowsersSocket() throws Exception {
        // A service that hangs up must not leave the browser talking to a half-open bridge.
        Browser alice = h.signInAs("alice");
        Client socket = open(alice, "/api/live/upstream-closes", h.baseUrl()).get(WAIT_SECONDS, TimeUnit.SECONDS);
        LiveUpstream.Socket seen = live.socket("/api/live/upstream-closes").get(WAIT_SECONDS, TimeUnit.SECONDS);
        seen.close();
        socket.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(socket.ws.isClosed()).isTrue();
    }

    @Test
    void browserClosingTheSocketClosesTheUpstreamSocket() throws Exception {
        // A closed tab must release the service's connection too, or long-lived sockets pile up upstream.
        Browser alice = h.signInAs("alice");
        Client socket = open(alice, "/api/live/browser-closes", h.baseUrl()).get(WAIT_SECONDS, TimeUnit.SECONDS);
        LiveUpstream.Socket seen = live.socket("/api/live/browser-closes").get(WAIT_SECONDS, TimeUnit.SECONDS);
        socket.ws.close((short) 1000, "bye");
        seen.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** A logout token as the provider would send it for {@code sid}, signed with the provider's key. */
    private static String logoutToken(String sid) {
        Map<String, Object> claims = Map.of(
                "aud", GatewayHarness.CLIENT_ID,
                "iat", Instant.now().getEpochSecond(),
                "jti", UUID.randomUUID().toString(),
                "sid", sid,
                "events", Map.of(BACKCHANNEL_EVENT, Map.of()));
        return h.provider.anyToken(h.provider.issuerUrl(GatewayHarness.ISSUER_ID), claims).serialize();
    }

    /** The browser side of a socket: received messages in order, and its close code once closed. */
    static final class Client {
        final WebSocket ws;
        final LinkedBlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Short> closed = new CompletableFuture<>();

        Client(WebSocket ws) {
            this.ws = ws;
            ws.textMessageHandler(messages::add);
            ws.binaryMessageHandler(messages::add);
            ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
        }

        Object next() throws InterruptedException {
            Object message = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(message).as("message within %d s", WAIT_SECONDS).isNotNull();
            return message;
        }
    }

    record Refusal(int status, String body) {
    }

    /**
     * Opens a socket to the gateway as {@code browser} would: its cookies on the handshake and {@code origin} as
     * the Origin header. Vert.x's allowOriginHeader both invents an Origin and, when off, drops the one given, so it
     * is on exactly when an Origin is wanted.
     */
    private static CompletableFuture<Client> open(Browser browser, String path, String origin) {
        URI base = URI.create(h.baseUrl());
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(base.getHost())
                .setPort(base.getPort())
                .setURI(path)
                .setAllowOriginHeader(origin != null);
        StringBuilder cookies = new StringBuilder();
        browser.cookies().forEach((k, v) -> cookies.append(cookies.length() == 0 ? "" : "; ").append(k).append('=').append(v));
        if (cookies.length() > 0) {
            options.addHeader("Cookie", cookies.toString());
        }
        if (origin != null) {
            options.addHeader("Origin", origin);
        }
        CompletableFuture<Client> result = new CompletableFuture<>();
        client.connect(options).onComplete(ar -> {
            if (ar.succeeded()) {
                record(path, 101, ar.result().headers(), "");
                result.complete(new Client(ar.result()));
            } else {
                if (ar.cause() instanceof UpgradeRejectedException rejected) {
                    record(path, rejected.getStatus(), rejected.getHeaders(),
                            rejected.getBody() == null ? "" : rejected.getBody().toString());
                }
                result.completeExceptionally(ar.cause());
            }
        });
        return result;
    }

    private static Refusal refused(CompletableFuture<Client> attempt) throws Exception {
        try {
            Client unexpected = attempt.get(WAIT_SECONDS, TimeUnit.SECONDS);
            unexpected.ws.close();
            throw new AssertionError("the upgrade was accepted");
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(UpgradeRejectedException.class);
            UpgradeRejectedException rejected = (UpgradeRejectedException) e.getCause();
            return new Refusal(rejected.getStatus(), rejected.getBody() == null ? "" : rejected.getBody().toString());
        }
    }

    /** Hands a handshake answer to the suite's response log, so the no-token scan covers sockets too. */
    private static void record(String path, int status, MultiMap headers, String body) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach(e -> map.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        }
        h.responses().record(new Browser.Response(status, java.net.http.HttpHeaders.of(map, (a, b) -> true), body,
                URI.create(h.baseUrl() + path)));
    }
}
