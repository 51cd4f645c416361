package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Server-sent event streams through the gateway, from a real upstream that never ends its stream: events arrive
 * as they are produced (no buffering), and the stream is cut, at the browser and at the upstream, when the
 * session that opened it ends.
 */
class ServerSentEventsIT {
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]+\\.?[A-Za-z0-9_-]*");
    private static final String BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout";
    private static final long WAIT_SECONDS = 10;

    static LiveUpstream live;
    static GatewayHarness h;
    static Vertx clientVertx;
    static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        live = new LiveUpstream();
        h = GatewayHarness.builder()
                .yaml("token_templates:\n  feed:\n    audience: feed-api")
                .routes(String.join("\n",
                        "  - {match: /api/feed/**, upstream: " + live.url() + ", access: authenticated, token: {template: feed}}",
                        "  - {match: /**, upstream: %SPA%, access: public}"))
                .start();
        clientVertx = Vertx.vertx();
        client = clientVertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(32));
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
    void eventsReachTheBrowserWhileTheUpstreamIsStillProducing() throws Exception {
        // A live feed is useless if the proxy waits for the end of a stream that never ends.
        Browser alice = h.signInAs("alice");
        EventStream events = subscribe(alice, "/api/feed/live/events").get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(events.status).isEqualTo(200);
        assertThat(events.response.getHeader("content-type")).startsWith("text/event-stream");
        assertThat(events.next()).isEqualTo("event 1");
        LiveUpstream.Stream seen = live.stream("/api/feed/live/events").get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(seen.closed).isNotDone();
        assertThat(events.next()).isEqualTo("event 2");
        assertThat(events.next()).isEqualTo("event 3");

        String authorization = seen.header("authorization");
        assertThat(authorization).startsWith("Bearer ");
        Map<String, Object> claims = GatewayHarness.claims(authorization.substring(7));
        assertThat(claims).containsEntry("sub", "alice");
        assertThat(claims.get("aud")).isEqualTo(List.of("feed-api"));
        assertThat(seen.header("cookie")).isNull();
        events.close();
    }

    @Test
    void streamWithoutSessionIsRefusedWith401AndNeverReachesUpstream() throws Exception {
        // The rule applies to streams as to any request: no session, no upstream connection.
        int before = live.requests();
        EventStream events = subscribe(h.browser(), "/api/feed/anonymous/events").get(WAIT_SECONDS, TimeUnit.SECONDS);
        events.ended.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(events.status).isEqualTo(401);
        assertThat(events.text.toString()).contains("\"signedIn\":false");
        assertThat(live.requests()).isEqualTo(before);
    }

    @Test
    void signingOutCutsTheOpenStream() throws Exception {
        // After sign-out the browser must stop receiving the user's data, even on a stream opened before it.
        Browser alice = h.signInAs("alice");
        EventStream events = subscribe(alice, "/api/feed/logout/events").get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(events.next()).isEqualTo("event 1");
        LiveUpstream.Stream seen = live.stream("/api/feed/logout/events").get(WAIT_SECONDS, TimeUnit.SECONDS);

        assertThat(alice.post("/auth/logout", null).status()).isEqualTo(200);

        events.ended.get(WAIT_SECONDS, TimeUnit.SECONDS);
        seen.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void backChannelLogoutCutsTheOpenStream() throws Exception {
        // The provider ending the user's session reaches streams the gateway holds open for it.
        String sid = "sid-" + UUID.randomUUID();
        Browser dave = h.user("dave").claim("sid", sid).signIn();
        EventStream events = subscribe(dave, "/api/feed/backchannel/events").get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(events.next()).isEqualTo("event 1");
        LiveUpstream.Stream seen = live.stream("/api/feed/backchannel/events").get(WAIT_SECONDS, TimeUnit.SECONDS);

        Browser provider = h.browser();
        Browser.Response r = provider.send(provider.request("/auth/backchannel-logout")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("logout_token=" + logoutToken(sid)))
                .build());
        assertThat(r.status()).isEqualTo(200);

        events.ended.get(WAIT_SECONDS, TimeUnit.SECONDS);
        seen.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void sessionExpiryCutsTheOpenStreamWithinOneSweep() throws Exception {
        // A stream must not outlive the idle timeout of the session that opened it.
        Browser erin = h.signInAs("erin");
        EventStream events = subscribe(erin, "/api/feed/expiry/events").get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(events.next()).isEqualTo("event 1");
        LiveUpstream.Stream seen = live.stream("/api/feed/expiry/events").get(WAIT_SECONDS, TimeUnit.SECONDS);
        Duration past = h.config.session().idleTimeout().plusMinutes(1);
        h.clock.advance(past);
        try {
            events.ended.get(WAIT_SECONDS, TimeUnit.SECONDS);
            seen.closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } finally {
            h.clock.advance(past.negated()); // the other tests' logout tokens are stamped with real time
        }
    }

    @Test
    void browserLeavingTheStreamClosesTheUpstreamStream() throws Exception {
        // A closed tab must release the service's stream, or never-ending upstream streams pile up.
        Browser alice = h.signInAs("alice");
        EventStream events = subscribe(alice, "/api/feed/leave/events").get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(events.next()).isEqualTo("event 1");
        LiveUpstream.Stream seen = live.stream("/api/feed/leave/events").get(WAIT_SECONDS, TimeUnit.SECONDS);
        events.close();
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

    /** The browser's side of an event stream (an {@code EventSource}): the data of each event, in order. */
    static final class EventStream {
        final HttpClientResponse response;
        final int status;
        final StringBuilder text = new StringBuilder();
        final LinkedBlockingQueue<String> data = new LinkedBlockingQueue<>();
        /** Completes when the stream ended, cleanly or cut. */
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        private final StringBuilder pending = new StringBuilder();

        EventStream(HttpClientResponse response) {
            this.response = response;
            this.status = response.statusCode();
            response.handler(chunk -> {
                String s = chunk.toString();
                synchronized (text) {
                    text.append(s);
                }
                pending.append(s);
                for (int end = pending.indexOf("\n\n"); end >= 0; end = pending.indexOf("\n\n")) {
                    for (String line : pending.substring(0, end).split("\n")) {
                        if (line.startsWith("data: ")) {
                            data.add(line.substring(6));
                        }
                    }
                    pending.delete(0, end + 2);
                }
            });
            response.endHandler(v -> ended.complete(null));
            response.exceptionHandler(e -> ended.complete(null));
        }

        String next() throws InterruptedException {
            String event = data.poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(event).as("an event within %d s", WAIT_SECONDS).isNotNull();
            return event;
        }

        /** The browser goes away: its connection closes mid-stream. */
        void close() {
            response.request().connection().close();
        }
    }

    /** Opens {@code path} as the SPA's {@code EventSource} would, with the browser's cookies. */
    private static CompletableFuture<EventStream> subscribe(Browser browser, String path) {
        URI base = URI.create(h.baseUrl());
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(base.getHost())
                .setPort(base.getPort())
                .setURI(path)
                .addHeader("Accept", "text/event-stream")
                .addHeader("Sec-Fetch-Mode", "cors")
                .addHeader("Sec-Fetch-Site", "same-origin");
        StringBuilder cookies = new StringBuilder();
        browser.cookies().forEach((k, v) -> cookies.append(cookies.length() == 0 ? "" : "; ").append(k).append('=').append(v));
        if (cookies.length() > 0) {
            options.addHeader("Cookie", cookies.toString());
        }
        CompletableFuture<EventStream> result = new CompletableFuture<>();
        client.request(options).compose(req -> req.send()).onComplete(ar -> {
            if (ar.failed()) {
                result.completeExceptionally(ar.cause());
                return;
            }
            EventStream stream = new EventStream(ar.result());
            stream.ended.thenRun(() -> record(path, stream));
            result.complete(stream);
        });
        return result;
    }

    /** Hands what the browser received to the suite's response log, so the no-token scan covers streams too. */
    private static void record(String path, EventStream stream) {
        Map<String, List<String>> map = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        MultiMap headers = stream.response.headers();
        headers.forEach(e -> map.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        String body;
        synchronized (stream.text) {
            body = stream.text.toString();
        }
        h.responses().record(new Browser.Response(stream.status, java.net.http.HttpHeaders.of(map, (a, b) -> true), body,
                URI.create(h.baseUrl() + path)));
    }
}
