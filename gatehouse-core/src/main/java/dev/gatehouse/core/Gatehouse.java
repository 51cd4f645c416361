package dev.gatehouse.core;

import com.nimbusds.jose.JWSAlgorithm;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies the tokens a service receives from Gatehouse (or Clerk). Build one per issuer and share it: it is
 * thread-safe and caches keys and verified tokens.
 *
 * <pre>{@code
 * Gatehouse gatehouse = Gatehouse.builder()
 *         .issuer("https://app.example.com")
 *         .audience("billing-api")
 *         .jwksUrl("https://app.example.com/.well-known/jwks.json")
 *         .build();
 * RequestState state = gatehouse.authenticateRequest(AuthRequest.bearer(token));
 * }</pre>
 *
 * <p>Defaults that matter: {@code exp} is required, {@code iss} must match exactly, {@code aud} must hold one of
 * the configured audiences (an explicit {@link Builder#acceptTokensWithoutAudience()} turns that off, for Clerk
 * session tokens, and then demands authorized parties), leeway is 5 s, algorithms are ES256 and RS256.
 */
public final class Gatehouse {
    /** The cookie Clerk frontends send the session token in; read when there is no {@code Authorization} header. */
    public static final String SESSION_COOKIE = "__session";

    private final TokenVerifier verifier;
    private final String sessionCookie;

    private Gatehouse(TokenVerifier verifier, String sessionCookie) {
        this.verifier = verifier;
        this.sessionCookie = sessionCookie;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Authenticates a request from its {@code Authorization: Bearer} header, or else its session cookie. An
     * invalid or missing token gives a signed-out state with the reason (answer 401).
     *
     * @throws KeysUnavailableException when the issuer's keys cannot be fetched (answer 503, not 401)
     */
    public RequestState authenticateRequest(AuthRequest request) throws KeysUnavailableException {
        String token = bearer(request.header("Authorization"));
        if (token == null && sessionCookie != null) {
            token = request.cookie(sessionCookie);
        }
        if (token == null || token.isEmpty()) {
            return new RequestState.SignedOut(AuthReason.SESSION_TOKEN_MISSING, "No token in the request.");
        }
        try {
            return new RequestState.SignedIn(verifier.verify(token));
        } catch (InvalidTokenException e) {
            return new RequestState.SignedOut(e.reason(), e.getMessage());
        }
    }

    /** Verifies one token and gives its {@link Auth}. */
    public Auth verifyToken(String token) throws InvalidTokenException, KeysUnavailableException {
        return verifier.verify(Objects.requireNonNull(token, "token"));
    }

    private static String bearer(String header) {
        if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }

    /** Algorithms a verifier may accept; HMAC and {@code none} are never among them. */
    public enum Algorithm {
        ES256(JWSAlgorithm.ES256), RS256(JWSAlgorithm.RS256), EDDSA(JWSAlgorithm.EdDSA);

        final JWSAlgorithm jws;

        Algorithm(JWSAlgorithm jws) {
            this.jws = jws;
        }
    }

    /** Builds a {@link Gatehouse}; {@link #build()} fails fast on anything missing. */
    public static final class Builder {
        private String issuer;
        private final Set<String> audiences = new LinkedHashSet<>();
        private boolean withoutAudience;
        private final Set<String> authorizedParties = new LinkedHashSet<>();
        private Duration leeway = Duration.ofSeconds(5);
        private URI jwksUrl;
        private String pem;
        private String pemKeyId;
        private Set<Algorithm> algorithms = Set.of(Algorithm.ES256, Algorithm.RS256);
        private Clock clock = Clock.systemUTC();
        private Duration httpTimeout = Duration.ofSeconds(5);
        private String sessionCookie = SESSION_COOKIE;

        private Builder() {
        }

        /** The exact {@code iss} of accepted tokens: Gatehouse's public URL, e.g. {@code https://app.example.com}. */
        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        /** Audiences this service answers to; a token must carry at least one. */
        public Builder audience(String... audience) {
            audiences.addAll(List.of(audience));
            return this;
        }

        /**
         * Accepts tokens without a matching {@code aud}, as Clerk session tokens are. Only allowed together with
         * {@link #authorizedParties}, which then carries the binding to your frontend.
         */
        public Builder acceptTokensWithoutAudience() {
            this.withoutAudience = true;
            return this;
        }

        /** Origins allowed in {@code azp}; when set, a token without {@code azp} is refused. */
        public Builder authorizedParties(String... parties) {
            authorizedParties.addAll(List.of(parties));
            return this;
        }

        /** Clock tolerance for {@code exp}, {@code nbf} and {@code iat}; default 5 s. */
        public Builder leeway(Duration leeway) {
            this.leeway = Objects.requireNonNull(leeway);
            return this;
        }

        public Builder jwksUrl(String url) {
            this.jwksUrl = URI.create(url);
            return this;
        }

        /** Networkless: verify with this PEM public key (X.509 SubjectPublicKeyInfo) instead of fetching a JWKS. */
        public Builder publicKeyPem(String pem) {
            this.pem = pem;
            return this;
        }

        /** As {@link #publicKeyPem(String)}, with the key id tokens must name. */
        public Builder publicKeyPem(String pem, String keyId) {
            this.pem = pem;
            this.pemKeyId = keyId;
            return this;
        }

        public Builder algorithms(Algorithm... allowed) {
            this.algorithms = Set.of(allowed);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Connect and read timeout for JWKS fetches; default 5 s. */
        public Builder httpTimeout(Duration timeout) {
            this.httpTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** The cookie to read the token from when there is no header; null to read headers only. */
        public Builder sessionCookie(String name) {
            this.sessionCookie = name;
            return this;
        }

        public Gatehouse build() {
            if (issuer == null || issuer.isBlank()) {
                throw new IllegalStateException("issuer is required: tokens are only accepted from one issuer");
            }
            if (audiences.isEmpty() && !withoutAudience) {
                throw new IllegalStateException("audience is required (or acceptTokensWithoutAudience() with authorizedParties)");
            }
            if (withoutAudience && authorizedParties.isEmpty()) {
                throw new IllegalStateException("acceptTokensWithoutAudience() needs authorizedParties(...)");
            }
            if ((jwksUrl == null) == (pem == null)) {
                throw new IllegalStateException("give exactly one of jwksUrl(...) and publicKeyPem(...)");
            }
            if (jwksUrl != null && (jwksUrl.getScheme() == null || !jwksUrl.getScheme().toLowerCase(Locale.ROOT).matches("https?"))) {
                throw new IllegalStateException("jwksUrl must be http(s)");
            }
            if (algorithms.isEmpty()) {
                throw new IllegalStateException("at least one algorithm is required");
            }
            Set<JWSAlgorithm> jws = new LinkedHashSet<>();
            for (Algorithm a : algorithms) {
                jws.add(a.jws);
                if (a == Algorithm.EDDSA) {
                    jws.add(JWSAlgorithm.Ed25519);
                }
            }
            KeySource keys = pem != null ? new FixedKey(pem, pemKeyId) : new RemoteKeys(jwksUrl, httpTimeout, clock);
            return new Gatehouse(new TokenVerifier(issuer, Set.copyOf(withoutAudience ? Set.of() : audiences),
                    Set.copyOf(authorizedParties), leeway, Set.copyOf(jws), keys, clock), sessionCookie);
        }
    }
}
