package dev.gatehouse.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.TokenRequest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import no.nav.security.mock.oauth2.OAuth2Exception;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenExchangeIT {
    static final String TOKEN_EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static GatewayHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = GatewayHarness.builder()
                .routes(String.join("\n",
                        "  - {match: /api/orders/**, upstream: %API%, access: authenticated,"
                                + " token: {exchange: {audience: orders-api, scope: orders.read}}}",
                        "  - {match: /api/relay/**, upstream: %API%, access: authenticated, token: relay}",
                        "  - {match: /**, upstream: %SPA%, access: public}"))
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        h.close();
    }

    /**
     * Every request the provider received since the last call, in order. A marker request sent from here closes
     * the batch: anything the gateway sent before its answer reached the test is recorded ahead of the marker.
     */
    private static List<RecordedRequest> providerRequests() throws Exception {
        String marker = "/marker-" + UUID.randomUUID();
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(h.provider.baseUrl().resolve(marker).toString())).build(),
                HttpResponse.BodyHandlers.discarding());
        List<RecordedRequest> out = new ArrayList<>();
        for (RecordedRequest r = h.provider.takeRequest(); !marker.equals(r.getPath()); r = h.provider.takeRequest()) {
            out.add(r);
        }
        return out;
    }

    private static Map<String, String> form(RecordedRequest r) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : r.getBody().clone().readUtf8().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static List<Map<String, String>> exchangesIn(List<RecordedRequest> requests) {
        List<Map<String, String>> out = new ArrayList<>();
        for (RecordedRequest r : requests) {
            if ("POST".equals(r.getMethod())) {
                Map<String, String> f = form(r);
                if (TOKEN_EXCHANGE.equals(f.get("grant_type"))) {
                    f.put("(authorization)", r.getHeader("Authorization"));
                    out.add(f);
                }
            }
        }
        return out;
    }

    private static String upstreamToken(Browser b, String path) {
        Browser.Response r = b.get(path);
        assertThat(r.status()).as(path + " " + r.body()).isEqualTo(200);
        return h.api.last().header("authorization").substring(7);
    }

    @Test
    void upstreamGetsATokenTheProviderIssuedForItsAudienceInExchangeForTheUsersToken() throws Exception {
        // RFC 8693: the service receives a provider token scoped to it, never the user's broader access token.
        Browser alice = h.signInAs("alice");
        String accessToken = upstreamToken(alice, "/api/relay/me");
        providerRequests();

        String exchanged = upstreamToken(alice, "/api/orders/1");

        List<Map<String, String>> exchanges = exchangesIn(providerRequests());
        assertThat(exchanges).hasSize(1);
        Map<String, String> request = exchanges.get(0);
        assertThat(request.get("subject_token")).isEqualTo(accessToken);
        assertThat(request.get("subject_token_type")).isEqualTo("urn:ietf:params:oauth:token-type:access_token");
        assertThat(request.get("audience")).isEqualTo("orders-api");
        assertThat(request.get("scope")).isEqualTo("orders.read");
        assertThat(request.get("(authorization)")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("gatehouse:not-a-real-secret".getBytes(StandardCharsets.UTF_8)));

        assertThat(exchanged).isNotEqualTo(accessToken);
        JWTClaimsSet claims = SignedJWT.parse(exchanged).getJWTClaimsSet();
        assertThat(claims.getAudience()).containsExactly("orders-api");
        assertThat(claims.getIssuer()).isEqualTo(h.issuer());
        assertThat(claims.getSubject()).isEqualTo("alice");
    }

    @Test
    void exchangedTokenIsCachedSoRepeatedCallsCostNoProviderRoundTrip() throws Exception {
        // Exchanging per request would put the provider on every API call's path.
        Browser bob = h.signInAs("bob");
        providerRequests();

        String first = upstreamToken(bob, "/api/orders/1");
        String second = upstreamToken(bob, "/api/orders/2");
        String third = upstreamToken(bob, "/api/orders/3");

        assertThat(second).isEqualTo(first);
        assertThat(third).isEqualTo(first);
        assertThat(exchangesIn(providerRequests())).hasSize(1);
    }

    @Test
    void exchangedTokenIsRenewedShortlyBeforeItExpires() throws Exception {
        // A cached token must never reach a service after (or right at) its expiry.
        Browser carol = h.signInAs("carol");
        providerRequests();
        // The next token the provider issues (the exchange) lives 120 s: reused for 90 s, then renewed.
        h.provider.enqueueCallback(new DefaultOAuth2TokenCallback(GatewayHarness.ISSUER_ID, "carol", "JWT", null, Map.of(), 120));
        String first = upstreamToken(carol, "/api/orders/1");

        h.clock.advance(Duration.ofSeconds(89));
        assertThat(upstreamToken(carol, "/api/orders/2")).isEqualTo(first);
        assertThat(exchangesIn(providerRequests())).hasSize(1);

        h.clock.advance(Duration.ofSeconds(2));
        String renewed = upstreamToken(carol, "/api/orders/3");
        assertThat(renewed).isNotEqualTo(first);
        assertThat(exchangesIn(providerRequests())).hasSize(1);
    }

    @Test
    void twoSessionsNeverShareAnExchangedToken() throws Exception {
        // Each caller's token names that caller; a shared cache entry would hand one user's token to another.
        String dave = upstreamToken(h.signInAs("dave"), "/api/orders/1");
        String erin = upstreamToken(h.signInAs("erin"), "/api/orders/1");

        assertThat(erin).isNotEqualTo(dave);
        assertThat(SignedJWT.parse(erin).getJWTClaimsSet().getSubject()).isEqualTo("erin");
    }

    @Test
    void refusedExchangeIsABadGatewayAndIsNotCached() throws Exception {
        // A provider refusal must not forward the user's own token instead, nor stick for the rest of the session.
        Browser frank = h.signInAs("frank");
        providerRequests();
        int seen = h.api.count();
        h.provider.enqueueCallback(new RefusingCallback());

        Browser.Response refused = frank.get("/api/orders/1");

        assertThat(refused.status()).isEqualTo(502);
        assertThat(new JsonObject(refused.body()).getString("reason")).isEqualTo("token_exchange_failed");
        assertThat(h.api.count()).isEqualTo(seen);
        String token = upstreamToken(frank, "/api/orders/1");
        assertThat(SignedJWT.parse(token).getJWTClaimsSet().getAudience()).containsExactly("orders-api");
        assertThat(exchangesIn(providerRequests())).hasSize(2);
    }

    @Test
    void theBrowserNeverSeesAnExchangedToken() {
        // BFF-03 holds for exchanged tokens too.
        Browser grace = h.signInAs("grace");
        upstreamToken(grace, "/api/orders/1");
        grace.get("/api/auth/session");

        assertThat(h.responses().leaks(h.tokensSeenUpstream())).isEmpty();
    }

    /** The provider's answer to the next token request: {@code invalid_target}, as a provider that will not issue for an audience. */
    private static final class RefusingCallback implements OAuth2TokenCallback {
        @Override
        public String issuerId() {
            return GatewayHarness.ISSUER_ID;
        }

        @Override
        public String subject(TokenRequest request) {
            return "nobody";
        }

        @Override
        public String typeHeader(TokenRequest request) {
            return "JWT";
        }

        @Override
        public List<String> audience(TokenRequest request) {
            throw new OAuth2Exception(OAuth2Error.INVALID_TARGET, "this client may not get tokens for that audience");
        }

        @Override
        public Map<String, Object> addClaims(TokenRequest request) {
            return Map.of();
        }

        @Override
        public long tokenExpiry() {
            return 60;
        }
    }
}
