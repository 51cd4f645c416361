package dev.gatehouse.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.core.access.AccessLevel;
import dev.gatehouse.core.access.Requirement;
import dev.gatehouse.server.config.GatewayConfig;
import dev.gatehouse.server.config.GatewayConfig.Access;
import dev.gatehouse.server.config.GatewayConfig.Require;
import dev.gatehouse.server.config.GatewayConfig.TokenSpec;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static GatewayConfig.Route route(String match, String upstream) {
        return route(match, null, Set.of(), upstream, null);
    }

    private static GatewayConfig.Route route(String match, String host, Set<String> methods, String upstream, String strip) {
        return new GatewayConfig.Route(match, host, methods, URI.create(upstream), strip, Access.PUBLIC, Require.NONE,
                TokenSpec.NONE, false, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    private static RouteTable table(GatewayConfig.Route... routes) {
        return new RouteTable(List.of(routes));
    }

    @Test
    void firstMatchingRouteInFileOrderWins() {
        RouteTable t = table(
                route("/api/billing/**", "http://127.0.0.1:9001"),
                route("/api/**", "http://127.0.0.1:9002"),
                route("/**", "http://127.0.0.1:5173"));

        assertThat(t.match(null, "/api/billing/invoices").index()).isEqualTo(0);
        assertThat(t.match(null, "/api/orders").index()).isEqualTo(1);
        assertThat(t.match(null, "/api").index()).isEqualTo(1);
        assertThat(t.match(null, "/index.html").index()).isEqualTo(2);
    }

    @Test
    void broadRouteListedFirstShadowsNarrowerOnes() {
        RouteTable t = table(route("/api/**", "http://127.0.0.1:9002"), route("/api/billing/**", "http://127.0.0.1:9001"));

        assertThat(t.match(null, "/api/billing/invoices").index()).isEqualTo(0);
    }

    @Test
    void noRouteMatchesGivesNull() {
        RouteTable t = table(route("/api/**", "http://127.0.0.1:9002"), route("/health", "http://127.0.0.1:9003"));

        assertThat(t.match(null, "/other")).isNull();
        assertThat(t.match(null, "/healthz")).isNull();
        assertThat(t.match(null, "/health").index()).isEqualTo(1);
    }

    @Test
    void singleStarRouteMatchesOneSegment() {
        RouteTable t = table(route("/api/*/items", "http://127.0.0.1:9001"), route("/**", "http://127.0.0.1:5173"));

        assertThat(t.match(null, "/api/shop/items").index()).isEqualTo(0);
        assertThat(t.match(null, "/api/shop/items/1").index()).isEqualTo(1);
    }

    @Test
    void hostRouteMatchesOnlyItsHostCaseInsensitively() {
        RouteTable t = table(
                route("/**", "Admin.Example.com", Set.of(), "http://127.0.0.1:9001", null),
                route("/**", null, Set.of(), "http://127.0.0.1:5173", null));

        assertThat(t.match("admin.example.com", "/x").index()).isEqualTo(0);
        assertThat(t.match("app.example.com", "/x").index()).isEqualTo(1);
        assertThat(t.match(null, "/x").index()).isEqualTo(1);
    }

    @Test
    void methodsAreCheckedAfterTheMatchSoAWrongMethodDoesNotFallThrough() {
        RouteTable t = table(
                route("/api/reports/**", null, Set.of("GET", "HEAD"), "http://127.0.0.1:9001", null),
                route("/api/**", "http://127.0.0.1:9002"));

        Route reports = t.match(null, "/api/reports/1");
        assertThat(reports.index()).isEqualTo(0);
        assertThat(reports.allowsMethod("GET")).isTrue();
        assertThat(reports.allowsMethod("DELETE")).isFalse();
        assertThat(t.match(null, "/api/orders").allowsMethod("DELETE")).isTrue();
    }

    @Test
    void upstreamPathKeepsThePathWhenNothingIsStripped() {
        Route r = table(route("/api/**", "http://127.0.0.1:9002")).match(null, "/api/orders");

        assertThat(r.upstreamPath("/api/orders/1")).isEqualTo("/api/orders/1");
        assertThat(r.upstreamPath("/api")).isEqualTo("/api");
    }

    @Test
    void stripPrefixRemovesTheRoutePrefixAndKeepsALeadingSlash() {
        Route r = table(route("/api/orders/**", null, Set.of(), "http://127.0.0.1:9002", "/api/orders")).match(null, "/api/orders");

        assertThat(r.upstreamPath("/api/orders/42")).isEqualTo("/42");
        assertThat(r.upstreamPath("/api/orders/")).isEqualTo("/");
        assertThat(r.upstreamPath("/api/orders")).isEqualTo("/");
    }

    @Test
    void stripPrefixMapsOntoTheUpstreamBasePath() {
        Route r = table(route("/api/billing/**", null, Set.of(), "http://127.0.0.1:9001/v1", "/api/billing")).match(null, "/api/billing");

        assertThat(r.upstreamPath("/api/billing")).isEqualTo("/v1");
        assertThat(r.upstreamPath("/api/billing/")).isEqualTo("/v1/");
        assertThat(r.upstreamPath("/api/billing/invoices/7")).isEqualTo("/v1/invoices/7");
    }

    @Test
    void upstreamBasePathTrailingSlashIsNotDoubled() {
        Route r = table(route("/api/billing/**", null, Set.of(), "http://127.0.0.1:9001/v1/", "/api/billing")).match(null, "/api/billing");

        assertThat(r.upstreamBasePath()).isEqualTo("/v1");
        assertThat(r.upstreamPath("/api/billing/invoices")).isEqualTo("/v1/invoices");
    }

    @Test
    void upstreamBasePathWithoutStripPrefixIsPrepended() {
        Route r = table(route("/api/**", "http://127.0.0.1:9001/backend")).match(null, "/api/x");

        assertThat(r.upstreamPath("/api/x")).isEqualTo("/backend/api/x");
    }

    @Test
    void upstreamAddressIsCompiledOnce() {
        RouteTable t = table(
                route("/a/**", "http://127.0.0.1:9001"),
                route("/b/**", "https://svc.internal"),
                route("/c/**", "http://svc.internal"),
                route("/d/**", "https://svc.internal:8443"));

        Route a = t.match(null, "/a");
        assertThat(a.upstreamHost()).isEqualTo("127.0.0.1");
        assertThat(a.upstreamPort()).isEqualTo(9001);
        assertThat(a.upstreamTls()).isFalse();
        assertThat(a.upstreamAuthority()).isEqualTo("127.0.0.1:9001");
        Route b = t.match(null, "/b");
        assertThat(b.upstreamPort()).isEqualTo(443);
        assertThat(b.upstreamTls()).isTrue();
        assertThat(b.upstreamAuthority()).isEqualTo("svc.internal");
        assertThat(t.match(null, "/c").upstreamPort()).isEqualTo(80);
        assertThat(t.match(null, "/c").upstreamAuthority()).isEqualTo("svc.internal");
        assertThat(t.match(null, "/d").upstreamAuthority()).isEqualTo("svc.internal:8443");
    }

    @Test
    void accessAndRequireCompileIntoTheRouteRule() {
        GatewayConfig.Route billing = new GatewayConfig.Route("/api/billing/**", null, Set.of(), URI.create("http://127.0.0.1:9001"),
                null, Access.AUTHENTICATED, new Require(List.of("staff"), "acme", List.of("admin"), List.of("billing:read")),
                TokenSpec.RELAY, false, Duration.ofSeconds(2), Duration.ofSeconds(10));
        GatewayConfig.Route optional = new GatewayConfig.Route("/**", null, Set.of(), URI.create("http://127.0.0.1:5173"),
                null, Access.OPTIONAL, Require.NONE, TokenSpec.NONE, false, Duration.ofSeconds(5), Duration.ofSeconds(30));
        RouteTable t = table(billing, optional);

        Route r = t.match(null, "/api/billing/x");
        assertThat(r.rule().level()).isEqualTo(AccessLevel.AUTHENTICATED);
        assertThat(r.rule().requirement()).isEqualTo(new Requirement(Set.of("staff"), "acme", Set.of("org:admin"), Set.of("org:billing:read")));
        assertThat(r.token()).isEqualTo(TokenSpec.RELAY);
        assertThat(r.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(r.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(t.match(null, "/").rule().level()).isEqualTo(AccessLevel.OPTIONAL);
        assertThat(t.routes()).hasSize(2);
    }

    @Test
    void indexedMatchFindsTheSameRouteAsAScanInFileOrder() {
        // The table is indexed by leading literal segments for speed; file order must still decide, including
        // between a wildcard route early in the file and a literal route after it.
        List<GatewayConfig.Route> configured = List.of(
                route("/api/billing/invoices", "http://127.0.0.1:9001"),
                route("/*/x", "http://127.0.0.1:9001"),
                route("/api/billing/**", "http://127.0.0.1:9001"),
                route("/api/*/items/**", "http://127.0.0.1:9001"),
                route("/api/", "http://127.0.0.1:9001"),
                route("/api/**", "http://127.0.0.1:9001"),
                route("/static/app.js", "http://127.0.0.1:9001"),
                route("/", "http://127.0.0.1:9001"),
                route("/**", "http://127.0.0.1:9001"));
        RouteTable t = new RouteTable(configured);
        List<String> paths = List.of("/", "/api", "/api/", "/api/x", "/b/x", "/api/billing", "/api/billing/", "/api/billing/invoices",
                "/api/billing/invoices/1", "/api/orders/items", "/api/orders/items/7", "/api/billing/items/7", "/static/app.js",
                "/static/app.css", "/other", "/x/x", "/api/x/y");
        for (String path : paths) {
            Integer scanned = null;
            for (Route r : t.routes()) {
                if (r.pattern().matches(path)) {
                    scanned = r.index();
                    break;
                }
            }
            Route indexed = t.match(null, path);
            assertThat(indexed == null ? null : indexed.index()).as(path).isEqualTo(scanned);
        }
        assertThat(t.match(null, "/api/x").index()).isEqualTo(1);
        assertThat(t.match(null, "/api/billing/items/7").index()).isEqualTo(2);
        assertThat(t.match(null, "/api/orders/items/7").index()).isEqualTo(3);
    }

    @Test
    void routesOfAnotherHostAreSkippedWhenIndexed() {
        RouteTable t = table(
                route("/api/**", "admin.example.com", Set.of(), "http://127.0.0.1:9001", null),
                route("/api/**", "http://127.0.0.1:9002"));

        assertThat(t.match("admin.example.com", "/api/users").index()).isEqualTo(0);
        assertThat(t.match("app.example.com", "/api/users").index()).isEqualTo(1);
    }
}
