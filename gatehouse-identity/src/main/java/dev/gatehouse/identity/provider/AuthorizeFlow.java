package dev.gatehouse.identity.provider;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationErrorResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.ResponseMode;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.openid.connect.sdk.OIDCError;
import dev.gatehouse.identity.orgs.OrganizationMembership;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The authorization endpoint and the organization choice: validates the request (client, exact redirect URI,
 * {@code response_type=code}, PKCE S256, scope, prompt), sends the browser to sign in when needed, and finishes
 * with a code in a redirect that carries {@code state} and {@code iss} (RFC 9207). Until the redirect URI is known
 * to be registered for the client, problems are shown as an error page: never a redirect to an unregistered URI.
 * Blocking (JDBC).
 */
final class AuthorizeFlow {
    static final Set<String> SCOPES = Set.of("openid", "profile", "email");
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final List<String> SINGLE = List.of("response_type", "client_id", "redirect_uri", "scope", "state",
            "nonce", "code_challenge", "code_challenge_method", "prompt", "max_age", "response_mode");

    private final ProviderCore core;

    AuthorizeFlow(ProviderCore core) {
        this.core = core;
    }

    BrowserAnswer authorize(BrowserRequest r) {
        Optional<ClientRegistration> client = core.client(r.get("client_id"));
        if (client.isEmpty()) {
            return BrowserAnswer.error(400, "Unknown application",
                    "This sign-in link does not name an application registered here.");
        }
        String redirect = r.get("redirect_uri");
        URI redirectUri = client.get().redirectUris().stream().filter(u -> u.toString().equals(redirect)).findFirst()
                .orElse(null);
        if (redirectUri == null) {
            return BrowserAnswer.error(400, "Invalid sign-in link",
                    "The address this sign-in would return to is not registered for the application.");
        }
        String state = r.get("state");
        for (String name : SINGLE) {
            if (r.repeated(name)) {
                return fail(redirectUri, state, OAuth2Error.INVALID_REQUEST.setDescription("repeated parameter " + name));
            }
        }
        if (!"code".equals(r.get("response_type"))) {
            return fail(redirectUri, state, OAuth2Error.UNSUPPORTED_RESPONSE_TYPE.setDescription("only response_type=code"));
        }
        if (r.get("response_mode") != null && !"query".equals(r.get("response_mode"))) {
            return fail(redirectUri, state, OAuth2Error.INVALID_REQUEST.setDescription("only response_mode=query"));
        }
        if (r.get("request") != null || r.get("request_uri") != null) {
            return fail(redirectUri, state, OAuth2Error.INVALID_REQUEST.setDescription("request objects are not supported"));
        }
        if (!client.get().allows(ClientRegistration.AUTHORIZATION_CODE)) {
            return fail(redirectUri, state, OAuth2Error.UNAUTHORIZED_CLIENT);
        }
        String challenge = r.get("code_challenge");
        if (challenge == null || !CHALLENGE.matcher(challenge).matches()) {
            return fail(redirectUri, state, OAuth2Error.INVALID_REQUEST.setDescription("PKCE code_challenge (S256) is required"));
        }
        if (!"S256".equals(r.get("code_challenge_method"))) {
            return fail(redirectUri, state, OAuth2Error.INVALID_REQUEST.setDescription("code_challenge_method must be S256"));
        }
        Set<String> scope = new LinkedHashSet<>();
        // Scopes this provider does not know (offline_access, a custom one) are left out of the grant, not refused:
        // the token response says what was granted.
        for (String s : String.valueOf(r.get("scope")).trim().split(" +")) {
            if (SCOPES.contains(s)) {
                scope.add(s);
            }
        }
        if (scope.isEmpty()) {
            return fail(redirectUri, state, OAuth2Error.INVALID_SCOPE.setDescription("supported scopes: openid profile email"));
        }
        Set<String> prompt = Set.of(r.get("prompt") == null ? new String[0] : r.get("prompt").trim().split(" +"));
        if (!Set.of("none", "login", "consent", "select_account").containsAll(prompt)
                || prompt.contains("none") && prompt.size() > 1) {
            return fail(redirectUri, state, OAuth2Error.INVALID_REQUEST.setDescription("invalid prompt"));
        }
        Duration maxAge = null;
        if (r.get("max_age") != null) {
            try {
                maxAge = Duration.ofSeconds(Long.parseLong(r.get("max_age")));
            } catch (NumberFormatException e) {
                return fail(redirectUri, state, OAuth2Error.INVALID_REQUEST.setDescription("max_age must be a number"));
            }
        }
        Optional<BrowserSession> session = core.sessions.find(r.sessionCookie());
        boolean signedIn = session.isPresent() && session.get().signedIn();
        boolean tooOld = signedIn && maxAge != null
                && session.get().authTime().plus(maxAge).isBefore(core.clock.instant());
        boolean forceSignIn = prompt.contains("login") || tooOld;
        if (prompt.contains("none") && (!signedIn || forceSignIn)) {
            return fail(redirectUri, state, OIDCError.LOGIN_REQUIRED);
        }
        String cookie = null;
        BrowserSession browser;
        if (session.isPresent()) {
            browser = session.get();
        } else {
            BrowserSessions.Issued issued = core.sessions.startAnonymous();
            cookie = issued.cookieValue();
            browser = issued.session();
        }
        PendingAuthorization p = new PendingAuthorization(Secrets.random(core.settings.random()), client.get().clientId(),
                redirectUri, state, r.get("nonce"), String.join(" ", scope), challenge, forceSignIn,
                prompt.contains("select_account"), browser.cookieHash());
        if (signedIn && !forceSignIn) {
            return proceed(p, browser, prompt.contains("none"));
        }
        core.pending.put(p.tx(), p);
        BrowserAnswer toSignIn = BrowserAnswer.redirect(core.endpoint("/sign-in?tx=" + p.tx()));
        return cookie == null ? toSignIn : toSignIn.withCookie(cookie);
    }

    /** The pending authorization {@code tx} if it belongs to this browser session. */
    Optional<PendingAuthorization> pendingFor(String tx, BrowserSession session) {
        if (tx == null || session == null) {
            return Optional.empty();
        }
        PendingAuthorization p = core.pending.getIfPresent(tx);
        return p != null && Secrets.same(p.boundCookieHash(), session.cookieHash()) ? Optional.of(p) : Optional.empty();
    }

    /**
     * Continues {@code p} for the signed-in {@code session}: asks for an organization when the user must choose,
     * else issues the code and redirects to the client.
     */
    BrowserAnswer proceed(PendingAuthorization p, BrowserSession session, boolean noPrompt) {
        List<OrganizationMembership> memberships = core.organizations.membershipsOf(session.userId());
        String organizationId = session.organizationId();
        boolean stillMember = organizationId != null
                && memberships.stream().anyMatch(m -> m.organization().id().value().equals(organizationId));
        if (memberships.size() > 1 && (p.chooseOrganization() || !stillMember)) {
            if (noPrompt) {
                return fail(p.redirectUri(), p.state(), OIDCError.ACCOUNT_SELECTION_REQUIRED);
            }
            core.pending.put(p.tx(), p);
            return BrowserAnswer.redirect(core.endpoint("/choose-organization?tx=" + p.tx()));
        }
        String active = memberships.size() == 1 ? memberships.get(0).organization().id().value()
                : stillMember ? organizationId : null;
        BrowserSession updated = session.withOrganization(active).withClient(p.clientId());
        core.sessions.update(updated);
        core.pending.invalidate(p.tx());
        Grant grant = new Grant(p.clientId(), session.userId(), session.sessionId(), active, p.scope(),
                session.authTime(), p.nonce());
        String code = core.codes.issue(grant, p.redirectUri(), p.codeChallenge());
        URI location = new AuthorizationSuccessResponse(p.redirectUri(), new AuthorizationCode(code), null,
                p.state() == null ? null : new State(p.state()), new Issuer(core.issuer), ResponseMode.QUERY).toURI();
        return BrowserAnswer.redirect(location);
    }

    /** GET /choose-organization: the signed-in user's memberships as buttons. */
    BrowserAnswer choosePage(BrowserRequest r) {
        Optional<BrowserSession> session = core.sessions.find(r.sessionCookie()).filter(BrowserSession::signedIn);
        if (session.isEmpty()) {
            return BrowserAnswer.error(401, "Sign in first", "Sign in through your application to choose an organization.");
        }
        String tx = r.get("tx");
        if (tx != null && pendingFor(tx, session.get()).isEmpty()) {
            return expired();
        }
        List<Page.Choice> choices = core.organizations.membershipsOf(session.get().userId()).stream()
                .map(m -> new Page.Choice(m.organization().id().value(), m.organization().name(),
                        m.organization().slug(), m.role()))
                .toList();
        Optional<URI> back = tx == null ? returnTo(r.get("client_id"), r.get("return_to")) : Optional.empty();
        return BrowserAnswer.page(200, new Page.ChooseOrganization(tx, session.get().csrfToken(), choices,
                session.get().organizationId(), back.map(u -> r.get("client_id")).orElse(null),
                back.map(URI::toString).orElse(null)));
    }

    /** POST /choose-organization: makes the chosen membership active and continues the authorization, if any. */
    BrowserAnswer choose(BrowserRequest r) {
        Optional<BrowserSession> session = core.sessions.find(r.sessionCookie()).filter(BrowserSession::signedIn);
        if (session.isEmpty() || !Secrets.same(r.get("csrf"), session.get().csrfToken())) {
            return AccountForms.formExpired();
        }
        String chosen = r.get("organization");
        Optional<OrganizationMembership> membership = core.organizations.membershipsOf(session.get().userId()).stream()
                .filter(m -> m.organization().id().value().equals(chosen)).findFirst();
        if (membership.isEmpty()) {
            return BrowserAnswer.error(400, "Not a member", "You are not a member of that organization.");
        }
        BrowserSession updated = session.get().withOrganization(chosen);
        core.sessions.update(updated);
        String tx = r.get("tx");
        if (tx == null) {
            Optional<URI> back = returnTo(r.get("client_id"), r.get("return_to"));
            if (back.isPresent()) {
                return BrowserAnswer.redirect(back.get());
            }
            return BrowserAnswer.page(200, new Page.Message("Organization switched",
                    "You are now working in " + membership.get().organization().name() + "."));
        }
        Optional<PendingAuthorization> p = pendingFor(tx, updated);
        if (p.isEmpty()) {
            return expired();
        }
        return proceed(p.get().organizationChosen(), updated, false);
    }

    /**
     * Where a standalone organization switch may send the browser back to: {@code returnTo} when it is an absolute
     * URL on the same origin (scheme, host, port) as one of {@code clientId}'s registered redirect URIs, so the
     * page is no open redirector. The client then starts a new sign-in, which picks up the chosen organization.
     */
    private Optional<URI> returnTo(String clientId, String returnTo) {
        if (returnTo == null) {
            return Optional.empty();
        }
        URI target;
        try {
            target = new URI(returnTo);
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
        if (!target.isAbsolute() || target.getHost() == null || target.getRawUserInfo() != null) {
            return Optional.empty();
        }
        return core.client(clientId).flatMap(c -> c.redirectUris().stream()
                .filter(u -> u.getScheme().equals(target.getScheme()) && u.getHost().equalsIgnoreCase(target.getHost())
                        && u.getPort() == target.getPort())
                .findFirst()
                .map(u -> target));
    }

    static BrowserAnswer expired() {
        return BrowserAnswer.error(400, "Sign-in expired",
                "This sign-in took too long or was started in another browser. Go back to the application and try again.");
    }

    private BrowserAnswer fail(URI redirectUri, String state, ErrorObject error) {
        URI location = new AuthorizationErrorResponse(redirectUri, error, state == null ? null : new State(state),
                new Issuer(core.issuer), ResponseMode.QUERY).toURI();
        return BrowserAnswer.redirect(location);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
