package dev.gatehouse.identity.provider;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A client of the provider. Redirect URIs are compared by exact string; each must be https, or http on a
 * loopback host (localhost, 127.0.0.1, [::1]) for development and native apps. A null {@code clientSecret} makes
 * a public client, which authenticates by PKCE alone and may not use {@code client_credentials}. Grant types:
 * {@value #AUTHORIZATION_CODE}, {@value #REFRESH_TOKEN}, {@value #CLIENT_CREDENTIALS}.
 * {@code toString} leaves out the secret.
 */
public record ClientRegistration(
        String clientId,
        String clientSecret,
        List<URI> redirectUris,
        List<URI> postLogoutRedirectUris,
        URI backchannelLogoutUri,
        Set<String> grantTypes,
        String name) {
    public static final String AUTHORIZATION_CODE = "authorization_code";
    public static final String REFRESH_TOKEN = "refresh_token";
    public static final String CLIENT_CREDENTIALS = "client_credentials";
    private static final Set<String> GRANTS = Set.of(AUTHORIZATION_CODE, REFRESH_TOKEN, CLIENT_CREDENTIALS);

    public ClientRegistration {
        if (clientId == null || clientId.isBlank() || clientId.length() > 256) {
            throw new IllegalArgumentException("clientId must be 1-256 characters");
        }
        if (clientSecret != null && clientSecret.length() < 16) {
            throw new IllegalArgumentException("a client secret must be at least 16 characters");
        }
        redirectUris = List.copyOf(redirectUris == null ? List.of() : redirectUris);
        postLogoutRedirectUris = List.copyOf(postLogoutRedirectUris == null ? List.of() : postLogoutRedirectUris);
        redirectUris.forEach(u -> requireRedirectUri(u, "redirect URI"));
        postLogoutRedirectUris.forEach(u -> requireRedirectUri(u, "post-logout redirect URI"));
        if (backchannelLogoutUri != null) {
            requireRedirectUri(backchannelLogoutUri, "back-channel logout URI");
        }
        grantTypes = Set.copyOf(Objects.requireNonNull(grantTypes, "grantTypes"));
        for (String g : grantTypes) {
            if (!GRANTS.contains(g)) {
                throw new IllegalArgumentException("unsupported grant type " + g + "; supported: " + GRANTS);
            }
        }
        if (grantTypes.contains(AUTHORIZATION_CODE) && redirectUris.isEmpty()) {
            throw new IllegalArgumentException("client " + clientId + " uses authorization_code but has no redirect URI");
        }
        if (grantTypes.contains(CLIENT_CREDENTIALS) && clientSecret == null) {
            throw new IllegalArgumentException("client_credentials needs a confidential client (with a secret)");
        }
        name = name == null || name.isBlank() ? clientId : name;
    }

    /** A confidential web client (such as the gateway): code flow with refresh tokens. */
    public static ClientRegistration webClient(String clientId, String clientSecret, URI redirectUri,
            URI postLogoutRedirectUri, URI backchannelLogoutUri) {
        return new ClientRegistration(clientId, Objects.requireNonNull(clientSecret, "clientSecret"), List.of(redirectUri),
                postLogoutRedirectUri == null ? List.of() : List.of(postLogoutRedirectUri), backchannelLogoutUri,
                Set.of(AUTHORIZATION_CODE, REFRESH_TOKEN), clientId);
    }

    /** A confidential service client that only gets access tokens for itself. */
    public static ClientRegistration serviceClient(String clientId, String clientSecret) {
        return new ClientRegistration(clientId, clientSecret, List.of(), List.of(), null, Set.of(CLIENT_CREDENTIALS), clientId);
    }

    public boolean isPublic() {
        return clientSecret == null;
    }

    public boolean allows(String grantType) {
        return grantTypes.contains(grantType);
    }

    static void requireRedirectUri(URI uri, String what) {
        Objects.requireNonNull(uri, what);
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("a " + what + " must be absolute, with a host and no fragment: " + uri);
        }
        boolean https = "https".equals(uri.getScheme());
        boolean loopbackHttp = "http".equals(uri.getScheme()) && isLoopback(uri.getHost());
        if (!https && !loopbackHttp) {
            throw new IllegalArgumentException("a " + what + " must be https (http only on localhost): " + uri);
        }
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("::1");
    }

    @Override
    public String toString() {
        return "ClientRegistration[clientId=" + clientId + ", public=" + isPublic() + ", redirectUris=" + redirectUris
                + ", grantTypes=" + grantTypes + "]";
    }
}
