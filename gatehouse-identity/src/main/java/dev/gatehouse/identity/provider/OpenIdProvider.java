package dev.gatehouse.identity.provider;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.openid.connect.sdk.SubjectType;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.gatehouse.identity.store.IdentityDatabase;
import java.net.URI;
import java.util.List;

/**
 * The protocol side of the embedded provider, free of any HTTP framework: the HTTP layer turns each request into
 * a {@link BrowserRequest} or a Nimbus {@link HTTPRequest}, calls one method here on a worker thread (they block on
 * JDBC and Argon2id), and writes the answer back. Discovery and JWKS answers are computed once per key rotation
 * and may be served from an event loop. Thread-safe.
 */
public final class OpenIdProvider implements AutoCloseable {
    private final ProviderCore core;
    private final AuthorizeFlow authorize;
    private final AccountForms forms;
    private final TokenGrants tokens;
    private final Userinfo userinfo;
    private final String discovery;

    /**
     * Builds the provider for {@code issuer}; reads or creates the signing key file and rotates it when the
     * signing key is older than {@code settings.signingKeyRotation()} (blocking file I/O).
     */
    public OpenIdProvider(ProviderSettings settings, URI issuer, IdentityDatabase database) {
        ProviderKeys keys = ProviderKeys.loadOrCreate(settings.signingKeyFile(), settings.clock(), settings.random());
        this.core = new ProviderCore(settings, ProviderSettings.requireIssuerUrl(issuer), database, keys);
        this.authorize = new AuthorizeFlow(core);
        this.forms = new AccountForms(core, authorize);
        this.tokens = new TokenGrants(core);
        this.userinfo = new Userinfo(core);
        this.discovery = metadata().toJSONObject().toString();
    }

    public URI issuer() {
        return core.issuer;
    }

    public boolean secureCookies() {
        return "https".equals(core.issuer.getScheme());
    }

    public void register(ClientRegistration client) {
        core.clients.put(client.clientId(), client);
    }

    /**
     * The signing keys, rotated on schedule; {@link ProviderKeys#rotate} adds a new one at once (and restarts the
     * period) and keeps publishing the older ones.
     */
    public ProviderKeys keys() {
        return core.keys;
    }

    public String discoveryJson() {
        return discovery;
    }

    public String jwksJson() {
        return core.keys.publicKeys().toString();
    }

    public BrowserAnswer authorize(BrowserRequest r) {
        return authorize.authorize(r);
    }

    public BrowserAnswer signInPage(BrowserRequest r) {
        return forms.form(r, false);
    }

    public BrowserAnswer signIn(BrowserRequest r) {
        return forms.signIn(r);
    }

    public BrowserAnswer signUpPage(BrowserRequest r) {
        return forms.form(r, true);
    }

    public BrowserAnswer signUp(BrowserRequest r) {
        return forms.signUp(r);
    }

    public BrowserAnswer chooseOrganizationPage(BrowserRequest r) {
        return authorize.choosePage(r);
    }

    public BrowserAnswer chooseOrganization(BrowserRequest r) {
        return authorize.choose(r);
    }

    public BrowserAnswer signOutPage(BrowserRequest r) {
        return forms.signOutPage(r);
    }

    public BrowserAnswer signOut(BrowserRequest r) {
        return forms.signOut(r);
    }

    public BrowserAnswer endSession(BrowserRequest r) {
        return forms.endSession(r);
    }

    public HTTPResponse token(HTTPRequest request) {
        return tokens.token(request);
    }

    public HTTPResponse revoke(HTTPRequest request) {
        return tokens.revoke(request);
    }

    public HTTPResponse userinfo(HTTPRequest request) {
        return userinfo.answer(request);
    }

    private OIDCProviderMetadata metadata() {
        OIDCProviderMetadata m = new OIDCProviderMetadata(new Issuer(core.issuer), List.of(SubjectType.PUBLIC),
                core.endpoint("/jwks"));
        m.setAuthorizationEndpointURI(core.endpoint("/authorize"));
        m.setTokenEndpointURI(core.endpoint("/token"));
        m.setUserInfoEndpointURI(core.endpoint("/userinfo"));
        m.setRevocationEndpointURI(core.endpoint("/revoke"));
        m.setEndSessionEndpointURI(core.endpoint("/end-session"));
        m.setResponseTypes(List.of(ResponseType.CODE));
        m.setResponseModes(List.of(ResponseMode.QUERY));
        m.setGrantTypes(List.of(GrantType.AUTHORIZATION_CODE, GrantType.REFRESH_TOKEN, GrantType.CLIENT_CREDENTIALS));
        m.setCodeChallengeMethods(List.of(CodeChallengeMethod.S256));
        m.setTokenEndpointAuthMethods(List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                ClientAuthenticationMethod.CLIENT_SECRET_POST, ClientAuthenticationMethod.NONE));
        m.setRevocationEndpointAuthMethods(List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC,
                ClientAuthenticationMethod.CLIENT_SECRET_POST, ClientAuthenticationMethod.NONE));
        m.setIDTokenJWSAlgs(List.of(JWSAlgorithm.ES256));
        m.setUserInfoJWSAlgs(null);
        m.setScopes(new Scope(AuthorizeFlow.SCOPES.toArray(String[]::new)));
        m.setClaims(List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "sid", "azp", "email",
                "email_verified", "name", "picture", "roles", "org", "organizations", "public_metadata"));
        m.setSupportsAuthorizationResponseIssuerParam(true);
        m.setSupportsBackChannelLogout(true);
        m.setSupportsBackChannelLogoutSession(true);
        m.setSupportsRequestParam(false);
        m.setSupportsRequestURIParam(false);
        return m;
    }

    @Override
    public void close() {
        core.rotation.close();
        core.backchannel.close();
    }
}
