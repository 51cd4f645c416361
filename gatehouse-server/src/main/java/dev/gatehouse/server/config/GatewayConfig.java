package dev.gatehouse.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.gatehouse.core.tokens.TokenTemplate;

/**
 * The whole gateway configuration, as validated records. See {@code docs/configuration.md} for every key.
 *
 * @param publicUrl the origin browsers use; null means {@code http://<listen address>}, resolved once the
 *                  listener is bound (for local development and tests on port 0)
 */
public record GatewayConfig(
        URI publicUrl,
        HostPort listen,
        HostPort adminListen,
        Session session,
        Identity identity,
        Csrf csrf,
        Signing signing,
        Map<String, TokenTemplate> tokenTemplates,
        ForwardAuth forwardAuth,
        List<Route> routes) {

    /** The same configuration signing in with another identity (the launcher's, for the embedded provider). */
    public GatewayConfig withIdentity(Identity newIdentity) {
        return new GatewayConfig(publicUrl, listen, adminListen, session, newIdentity, csrf, signing, tokenTemplates,
                forwardAuth, routes);
    }

    /** The public URL once the listener's real port is known. */
    public URI publicUrl(int boundPort) {
        if (publicUrl != null) {
            return publicUrl;
        }
        String host = listen.host().equals("0.0.0.0") || listen.host().equals("::") ? "localhost" : listen.host();
        return URI.create("http://" + host + ":" + boundPort);
    }

    /** A listen address; {@code adminListen} may be null when the admin listener is off. */
    public record HostPort(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    public enum SameSite { LAX, STRICT }

    public record Session(String store, Duration idleTimeout, Duration absoluteTimeout, SameSite sameSite) {
    }

    public enum ClientAuth { CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, PRIVATE_KEY_JWT }

    /**
     * The OpenID provider the gateway signs users in with.
     *
     * @param claims where in the ID token (or userinfo) each piece of identity is found: dotted paths keyed by
     *               {@code user_id}, {@code email}, {@code name}, {@code picture}, {@code roles},
     *               {@code organizations}, {@code organization}
     */
    public record Identity(
            URI issuer,
            String clientId,
            String clientSecret,
            ClientAuth clientAuth,
            Path privateKeyFile,
            List<String> scopes,
            Map<String, String> claims,
            Duration refreshBeforeExpiry,
            Duration clockSkew,
            List<String> bearerAudiences,
            String postLogoutRedirect,
            boolean insecureAllowHttp,
            Embedded embedded) {

        /** An identity with an outside OpenID provider ({@code provider: oidc}). */
        public Identity(URI issuer, String clientId, String clientSecret, ClientAuth clientAuth, Path privateKeyFile,
                        List<String> scopes, Map<String, String> claims, Duration refreshBeforeExpiry, Duration clockSkew,
                        List<String> bearerAudiences, String postLogoutRedirect, boolean insecureAllowHttp) {
            this(issuer, clientId, clientSecret, clientAuth, privateKeyFile, scopes, claims, refreshBeforeExpiry, clockSkew,
                    bearerAudiences, postLogoutRedirect, insecureAllowHttp, null);
        }

        /** True with {@code provider: embedded}: the launcher starts the provider and fills in issuer and client. */
        public boolean isEmbedded() {
            return embedded != null;
        }

        /**
         * The same identity signing in at {@code newIssuer} as {@code newClientId} with {@code newSecret}: how the
         * launcher points the gateway at the embedded provider it started.
         */
        public Identity withClient(URI newIssuer, String newClientId, String newSecret) {
            return new Identity(newIssuer, newClientId, newSecret, clientAuth, privateKeyFile, scopes, claims,
                    refreshBeforeExpiry, clockSkew, bearerAudiences, postLogoutRedirect, insecureAllowHttp, embedded);
        }

        @Override
        public String toString() {
            return "Identity[issuer=" + issuer + ", clientId=" + clientId + ", clientSecret=" + (clientSecret == null ? null : "***")
                    + ", clientAuth=" + clientAuth + ", scopes=" + scopes + ", embedded=" + embedded + "]";
        }
    }

    /**
     * The embedded identity provider ({@code identity.provider: embedded}), as plain data: {@code gatehouse-server}
     * never starts it (the gateway talks to it over OpenID Connect like to any provider); the launcher does.
     *
     * @param publicUrl the provider's issuer as browsers reach it; null means {@code http://localhost:<bound port>}
     * @param seed      a seed file applied at every start (it only adds what is missing), or null
     * @param signingKeyRotation how long one provider signing key signs; at least the refresh token and session
     *                  lifetimes, since the two keys before the current one stay published
     * @param signUp    whether the hosted sign-up page is open to anyone
     */
    public record Embedded(
            HostPort listen,
            URI publicUrl,
            Database database,
            Path signingKeyFile,
            Path seed,
            Duration accessTokenLifetime,
            Duration refreshTokenLifetime,
            Duration sessionLifetime,
            Duration signingKeyRotation,
            boolean signUp,
            List<Client> clients) {

        /** The issuer once the listener's real port is known. */
        public URI publicUrl(int boundPort) {
            return publicUrl != null ? publicUrl : URI.create("http://localhost:" + boundPort);
        }
    }

    /** Where the embedded provider keeps its users and organizations; the password never shows in {@link #toString()}. */
    public record Database(String url, String user, String password) {
        @Override
        public String toString() {
            return "Database[url=" + url + ", user=" + user + ", password=" + (password == null ? null : "***") + "]";
        }
    }

    /**
     * An OpenID client the embedded provider accepts besides the gateway itself (a mobile app, a script, a service).
     *
     * @param secret null for a public client (PKCE only)
     */
    public record Client(
            String id,
            String secret,
            List<URI> redirectUris,
            List<URI> postLogoutRedirectUris,
            URI backchannelLogoutUri,
            Set<String> grantTypes) {
        @Override
        public String toString() {
            return "Client[id=" + id + ", secret=" + (secret == null ? null : "***") + ", redirectUris=" + redirectUris
                    + ", grantTypes=" + grantTypes + "]";
        }
    }

    public record Csrf(String header, Set<String> allowedOrigins) {
    }

    public enum Access { PUBLIC, OPTIONAL, AUTHENTICATED }

    /** What a route sends upstream as {@code Authorization}. */
    public sealed interface TokenSpec {
        /** Nothing. */
        record None() implements TokenSpec {
        }

        /** The provider's access token, refreshed as needed. */
        record Relay() implements TokenSpec {
        }

        /** A token minted by Gatehouse from the named template. */
        record Template(String name) implements TokenSpec {
        }

        /** A token obtained from the provider by RFC 8693 token exchange. */
        record Exchange(String audience, String scope) implements TokenSpec {
        }

        TokenSpec NONE = new None();
        TokenSpec RELAY = new Relay();
    }

    public enum Algorithm { ES256, RS256 }

    /**
     * The keys that sign per-service tokens.
     *
     * @param rotation how long a key signs before a new one takes over; the old one stays published until every
     *                 token it signed has expired
     */
    public record Signing(Algorithm algorithm, Path keyFile, Duration rotation) {
    }

    /** ForwardAuth: whose {@code X-Forwarded-*} headers are believed, and whether navigations get a 302. */
    public record ForwardAuth(List<String> trustedProxies, boolean redirectNavigations) {
    }

    public record Require(List<String> roles, String organization, List<String> organizationRoles, List<String> permissions) {
        public static final Require NONE = new Require(List.of(), null, List.of(), List.of());
    }

    public record Route(
            String match,
            String host,
            Set<String> methods,
            URI upstream,
            String stripPrefix,
            Access access,
            Require require,
            TokenSpec token,
            boolean bearer,
            Duration connectTimeout,
            Duration timeout) {
    }
}
