package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an upstream receives through the proxy and what the browser gets back (BFF-04, C-19, §7 test 2): no
 * gateway cookie, no browser credential, no hop-by-hop or spoofed forwarding/identity header, gateway-written
 * forwarding headers, the route's path mapping, and bodies that stream both ways.
 */
class ProxyHygieneIT {
    static GatewayHarness h;
    static SetCookieUpstream cookieSetter;
    static RawHttp raw;

    @BeforeAll
    static void start() throws Exception {
        cookieSetter = new SetCookieUpstream(List.of(
                "gatehouse=planted-by-upstream; Path=/",
                "gatehouse =padded-name; Path=/",
                "gatehouse-login=planted-by-upstream; Path=/",
                "theme=dark; Path=/"));
        h = GatewayHarness.builder().routes(String.join("\n",
                "  - {match: /api/public/**, upstream: %API%, access: public}",
                "  - {match: /api/optional/**, upstream: %API%, access: optional}",
                "  - {match: /api/orders/**, upstream: %API%, strip_prefix: /api, access: authenticated, token: relay}",
                "  - {match: /api/plain/**, upstream: %API%, access: authenticated}",
                "  - {match: /api/cookies/**, upstream: " + cookieSetter.url() + ", access: public}",
                "  - {match: /**, upstream: %SPA%, access: public}")).start();
        raw = new RawHttp(h);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            LeakScan.assertNothingLeaked(h);
        } finally {
            h.close();
            cookieSetter.close();
        }
    }

    @Test
    void upstreamNeverReceivesGatewayCookiesButKeepsTheApplicationsOwn() {
        // The session cookie is the browser's credential for the gateway only; a backend that logs or forwards it would leak it (BFF-04).
        Browser alice = h.signInAs("alice");
        alice.setCookie("gatehouse-login", "pending-login-transaction");
        alice.setCookie("theme", "dark");
        alice.setCookie("cart", "3");
        for (String path : List.of("/api/orders/1", "/api/plain/1", "/api/optional/1", "/api/public/1", "/index.html")) {
            Browser.Response r = alice.get(path);
            assertThat(r.status()).as(path).isEqualTo(200);
            EchoUpstream.Seen seen = path.equals("/index.html") ? h.spa.last() : h.api.last();
            assertThat(seen.headers().getAll("cookie")).as(path).containsExactly("theme=dark; cart=3");
        }
    }

    @Test
    void sessionCookieInASecondCookieHeaderIsStrippedToo() {
        // HTTP/2 and some clients split cookies over several Cookie fields; each one must be cleaned, not just the first.
        Browser alice = h.signInAs("alina");
        Browser.Response r = raw.send("GET", "/api/public/split",
                "Cookie: theme=dark",
                "Cookie: " + h.cookieName() + "=" + alice.cookie(h.cookieName()) + "; cart=3");
        assertThat(r.status()).isEqualTo(200);
        List<String> cookies = h.api.last().headers().getAll("cookie");
        assertThat(cookies).noneMatch(c -> c.contains(h.cookieName() + "=") || c.contains(alice.cookie(h.cookieName())));
    }

    @Test
    void conflictingBodyFramingCannotSmuggleARequestPastTheRules() {
        // Content-Length plus chunked is the classic desync: bytes the gateway thinks are body must never become an
        // unauthenticated request at the upstream (ASVS V4.2.1).
        String smuggled = "GET /api/orders/smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        byte[] body = ("0\r\n\r\n" + smuggled).getBytes(StandardCharsets.ISO_8859_1);
        Browser.Response r = raw.send("POST", "/api/public/framing", body, "Transfer-Encoding: chunked");
        // Chunked wins over Content-Length (RFC 9112 §6.3): the body is empty and the rest is never forwarded as body.
        assertThat(r.status()).isEqualTo(200);
        assertThat(h.api.last().uri()).isEqualTo("/api/public/framing");
        assertThat(h.api.last().bodyBytes()).isZero();
        assertThat(h.api.seen()).noneMatch(seen -> seen.uri().contains("smuggled"));
    }

    @Test
    void browserAuthorizationIsReplacedOnRelayRoutesAndDroppedElsewhere() {
        // A browser-supplied Bearer must never reach a service: on relay routes the gateway's own token takes its place.
        Browser bob = h.signInAs("bob");
        String forged = "Bearer forged.by.browser";

        assertThat(bob.get("/api/orders/9", "Authorization", forged).status()).isEqualTo(200);
        String relayed = h.api.last().header("authorization");
        assertThat(relayed).startsWith("Bearer ").isNotEqualTo(forged);
        assertThat(h.api.last().headers().getAll("authorization")).hasSize(1);
        assertThat(GatewayHarness.claims(relayed.substring(7))).containsEntry("sub", "bob");

        for (String path : List.of("/api/plain/9", "/api/optional/9", "/api/public/9")) {
            assertThat(bob.get(path, "Authorization", forged).status()).as(path).isEqualTo(200);
            assertThat(h.api.last().header("authorization")).as(path).isNull();
        }
        assertThat(h.browser().get("/api/public/9", "Authorization", forged).status()).isEqualTo(200);
        assertThat(h.api.last().header("authorization")).isNull();
    }

    @Test
    void hopByHopHeadersAndHeadersNamedByConnectionNeverReachUpstream() {
        // Hop-by-hop headers describe the browser's connection, not the upstream's; a header listed in Connection must die here too.
        Browser.Response r = raw.send("GET", "/api/public/hop",
                "Connection: close, X-Secret",
                "Keep-Alive: timeout=5, max=100",
                "TE: trailers",
                "Upgrade: example/1",
                "Proxy-Authorization: Basic dXNlcjpwYXNz",
                "Proxy-Connection: keep-alive",
                "X-Secret: only-for-the-next-hop",
                "X-Kept: yes");
        assertThat(r.status()).isEqualTo(200);
        EchoUpstream.Seen seen = h.api.last();
        for (String name : List.of("keep-alive", "te", "upgrade", "proxy-authorization", "proxy-connection", "x-secret")) {
            assertThat(seen.header(name)).as(name).isNull();
        }
        assertThat(seen.headers().getAll("connection")).noneMatch(v -> v.toLowerCase(Locale.ROOT).contains("x-secret"));
        assertThat(seen.header("x-kept")).isEqualTo("yes");
    }

    @Test
    void clientSentForwardingAndIdentityHeadersAreReplacedByTheGatewaysOwn() {
        // Upstreams trust X-Forwarded-* and identity headers; any copy from the client, in any spelling, is a spoof (C-19).
        Browser carol = h.signInAs("carol");
        Browser.Response r = raw.send("GET", "/api/orders/5",
                "Cookie: " + h.cookieName() + "=" + carol.cookie(h.cookieName()),
                "Connection: close, X-Forwarded-Host, X-Forwarded-For",
                "X-Forwarded-For: 10.0.0.1",
                "X-Forwarded-Host: evil.test",
                "X-Forwarded-Proto: https",
                "X-Forwarded-Port: 8443",
                "X-Forwarded-Prefix: /admin",
                "Forwarded: for=10.0.0.1;host=evil.test;proto=https",
                "X-Real-IP: 10.0.0.1",
                "X-Auth-Request-Email: ceo@example.com",
                "X-Auth-User-Id: admin",
                "X-User-Id: admin",
                "X_User_Id: admin",
                "X.User.Id: admin",
                "X_Forwarded_Host: evil.test",
                "X.Forwarded.For: 10.0.0.2");
        assertThat(r.status()).isEqualTo(200);
        EchoUpstream.Seen seen = h.api.last();
        assertThat(seen.headers().getAll("x-forwarded-for")).containsExactly("127.0.0.1");
        assertThat(seen.headers().getAll("x-forwarded-proto")).containsExactly("http");
        assertThat(seen.headers().getAll("x-forwarded-host")).containsExactly("127.0.0.1:" + h.gateway.port());
        Set<String> names = seen.headers().names().stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        assertThat(names).doesNotContain("x-forwarded-port", "x-forwarded-prefix", "forwarded", "x-real-ip",
                "x-auth-request-email", "x-auth-user-id", "x-user-id", "x_user_id", "x.user.id", "x_forwarded_host",
                "x.forwarded.for");
        assertThat(seen.header("authorization")).startsWith("Bearer ");
    }

    @Test
    void anonymousCallGetsGatewayWrittenForwardingHeadersToo() {
        // Forwarding headers are the gateway's statement about the client, on every route, signed in or not.
        assertThat(h.browser().get("/api/public/who", "X-Forwarded-For", "203.0.113.9").status()).isEqualTo(200);
        EchoUpstream.Seen seen = h.api.last();
        assertThat(seen.headers().getAll("x-forwarded-for")).containsExactly("127.0.0.1");
        assertThat(seen.header("x-forwarded-proto")).isEqualTo("http");
        assertThat(seen.header("x-forwarded-host")).isEqualTo("127.0.0.1:" + h.gateway.port());
    }

    @Test
    void stripPrefixMapsTheRoutePathAndKeepsTheQueryAsSent() {
        // The service must see its own path space (/orders/42), with the query string byte for byte.
        Browser dan = h.signInAs("dan");
        assertThat(dan.get("/api/orders/42?x=1").status()).isEqualTo(200);
        assertThat(h.api.last().uri()).isEqualTo("/orders/42?x=1");
        assertThat(dan.get("/api/orders/42?q=a%20b&tag=x%2Fy").status()).isEqualTo(200);
        assertThat(h.api.last().uri()).isEqualTo("/orders/42?q=a%20b&tag=x%2Fy");
        assertThat(h.browser().get("/api/public/a/b?c=d").status()).isEqualTo(200);
        assertThat(h.api.last().uri()).isEqualTo("/api/public/a/b?c=d");
    }

    @Test
    void upstreamCannotSetOrOverwriteGatewayCookies() {
        // A compromised or careless service must not be able to fixate, replace or clear the browser's session cookie.
        Browser erin = h.signInAs("erin");
        String session = erin.cookie(h.cookieName());
        Browser.Response r = erin.get("/api/cookies/set");
        assertThat(r.status()).isEqualTo(200);
        assertThat(cookieSetter.count()).isEqualTo(1);
        assertThat(r.setCookies()).containsExactly("theme=dark; Path=/");
        assertThat(erin.cookie(h.cookieName())).isEqualTo(session);
        assertThat(erin.get("/api/auth/session").status()).isEqualTo(200);
    }

    @Test
    void responseBodyStreamsToTheBrowserBeforeTheUpstreamHasFinished() throws Exception {
        // Long-polling, SSE and large downloads need bytes to flow as they come; a buffering proxy would hold them all.
        try (Socket socket = raw.open()) {
            socket.getOutputStream().write(raw.head("GET", "/api/public/stream", -1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            String sofar = readUntil(in, "first-chunk", new ByteArrayOutputStream());
            assertThat(sofar).startsWith("HTTP/1.1 200").contains("first-chunk").doesNotContain("last-chunk");
            h.api.releaseStream();
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            rest.write(sofar.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(readUntil(in, "last-chunk", rest)).contains("last-chunk");
        }
    }

    @Test
    void requestBodyStreamsToTheUpstreamWhileTheBrowserIsStillSending() throws Exception {
        // Uploads must not be held whole in gateway memory: the upstream sees the first part before the rest exists.
        io.vertx.core.Future<Void> before = h.api.firstUploadChunk();
        byte[] first = new byte[16 * 1024];
        byte[] second = new byte[48 * 1024];
        try (Socket socket = raw.open()) {
            OutputStream out = socket.getOutputStream();
            out.write(raw.head("POST", "/api/public/upload", -1, "Transfer-Encoding: chunked",
                    "Content-Type: application/octet-stream"));
            writeChunk(out, first);
            out.flush();

            // The upstream replaces its first-chunk future when the upload arrives; wait for that one, then for the chunk.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RawHttp.READ_TIMEOUT_MS / 1000);
            while (h.api.firstUploadChunk() == before && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
            h.api.firstUploadChunk().toCompletionStage().toCompletableFuture().get(RawHttp.READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);

            writeChunk(out, second);
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Browser.Response r = raw.read(socket.getInputStream(), "/api/public/upload");
            assertThat(r.status()).isEqualTo(200);
            assertThat(new JsonObject(r.body()).getInteger("bytes")).isEqualTo(first.length + second.length);
        }
        assertThat(h.api.last().bodyBytes()).isEqualTo(first.length + second.length);
    }

    private static void writeChunk(OutputStream out, byte[] data) throws java.io.IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads until {@code marker} has arrived (or the stream ends) and returns everything read so far. */
    private static String readUntil(InputStream in, String marker, ByteArrayOutputStream sofar) throws java.io.IOException {
        byte[] buf = new byte[1024];
        while (!sofar.toString(StandardCharsets.ISO_8859_1).contains(marker)) {
            int n = in.read(buf);
            if (n < 0) {
                break;
            }
            sofar.write(buf, 0, n);
        }
        return sofar.toString(StandardCharsets.ISO_8859_1);
    }
}
