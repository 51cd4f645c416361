package dev.gatehouse.identity.provider;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.gatehouse.identity.passwords.PasswordProblem;
import dev.gatehouse.identity.store.EmailTakenException;
import dev.gatehouse.identity.users.Emails;
import dev.gatehouse.identity.users.NewUser;
import dev.gatehouse.identity.users.User;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The hosted sign-in, sign-up and sign-out forms, and the end-session endpoint. Every POST must carry the
 * browser session's CSRF token. A failed sign-in says the same thing, after the same Argon2id work, whether the
 * email is unknown or the password wrong; a throttled one says the same whether or not the account exists.
 * Blocking (JDBC and Argon2id).
 */
final class AccountForms {
    static final String WRONG_CREDENTIALS = "Wrong email or password.";

    private final ProviderCore core;
    private final AuthorizeFlow authorize;

    AccountForms(ProviderCore core, AuthorizeFlow authorize) {
        this.core = core;
        this.authorize = authorize;
    }

    /** GET /sign-in and GET /sign-up: the form, starting an anonymous session when the browser has none. */
    BrowserAnswer form(BrowserRequest r, boolean signUp) {
        if (signUp && !core.settings.signUpAllowed()) {
            return BrowserAnswer.error(403, "Sign-up is closed", "Ask an administrator for an account.");
        }
        Optional<BrowserSession> found = core.sessions.find(r.sessionCookie());
        String cookie = null;
        BrowserSession session;
        if (found.isPresent()) {
            session = found.get();
        } else {
            BrowserSessions.Issued issued = core.sessions.startAnonymous();
            session = issued.session();
            cookie = issued.cookieValue();
        }
        String tx = r.get("tx");
        if (tx != null && authorize.pendingFor(tx, session).isEmpty()) {
            return AuthorizeFlow.expired();
        }
        Page page = signUp ? new Page.SignUp(tx, session.csrfToken(), null, null, null)
                : new Page.SignIn(tx, session.csrfToken(), null, null, core.settings.signUpAllowed());
        BrowserAnswer answer = BrowserAnswer.page(200, page);
        return cookie == null ? answer : answer.withCookie(cookie);
    }

    /** POST /sign-in. */
    BrowserAnswer signIn(BrowserRequest r) {
        Optional<BrowserSession> session = core.sessions.find(r.sessionCookie());
        if (session.isEmpty() || !Secrets.same(r.get("csrf"), session.get().csrfToken())) {
            return formExpired();
        }
        String tx = r.get("tx");
        Optional<PendingAuthorization> pending = authorize.pendingFor(tx, session.get());
        if (tx != null && pending.isEmpty()) {
            return AuthorizeFlow.expired();
        }
        String email = r.get("email") == null ? "" : r.get("email").strip();
        String password = r.get("password") == null ? "" : r.get("password");
        String address = r.clientAddress() == null ? "unknown" : r.clientAddress();
        Optional<Duration> locked = core.throttle.lockedFor(email, address);
        if (locked.isPresent()) {
            return signInAgain(429, tx, session.get(), email, tooManyAttempts(locked.get()));
        }
        Optional<User> user = findByEmail(email);
        boolean ok = core.hasher.verify(password, user.map(User::passwordHash).orElse(null));
        if (!ok) {
            core.throttle.recordFailure(email, address);
            return signInAgain(401, tx, session.get(), email, WRONG_CREDENTIALS);
        }
        core.throttle.recordSuccess(email);
        if (core.hasher.needsRehash(user.get().passwordHash())) {
            core.users.setPasswordHash(user.get().id(), core.hasher.hash(password));
        }
        return signedIn(user.get(), session.get(), pending);
    }

    /** POST /sign-up: creates the user with a checked password and signs them in right away. */
    BrowserAnswer signUp(BrowserRequest r) {
        if (!core.settings.signUpAllowed()) {
            return BrowserAnswer.error(403, "Sign-up is closed", "Ask an administrator for an account.");
        }
        Optional<BrowserSession> session = core.sessions.find(r.sessionCookie());
        if (session.isEmpty() || !Secrets.same(r.get("csrf"), session.get().csrfToken())) {
            return formExpired();
        }
        String tx = r.get("tx");
        Optional<PendingAuthorization> pending = authorize.pendingFor(tx, session.get());
        if (tx != null && pending.isEmpty()) {
            return AuthorizeFlow.expired();
        }
        String email = r.get("email") == null ? "" : r.get("email").strip();
        String name = r.get("name") == null ? "" : r.get("name").strip();
        String password = r.get("password") == null ? "" : r.get("password");
        String problem = null;
        if (!validEmail(email)) {
            problem = "Enter a valid email address.";
        } else if (name.isEmpty() || name.length() > 256) {
            problem = "Enter your name (at most 256 characters).";
        } else {
            problem = core.policy.problem(password).map(PasswordProblem::message).orElse(null);
        }
        if (problem != null) {
            return BrowserAnswer.page(400, new Page.SignUp(tx, session.get().csrfToken(), email, name, problem));
        }
        User user;
        try {
            user = core.users.create(NewUser.withEmail(email).name(name).passwordHash(core.hasher.hash(password)));
        } catch (EmailTakenException e) {
            return BrowserAnswer.page(409, new Page.SignUp(tx, session.get().csrfToken(), email, name,
                    "An account with this email already exists. Sign in instead."));
        }
        return signedIn(user, session.get(), pending);
    }

    /** GET /sign-out: a confirmation form (a link alone must not sign anyone out). */
    BrowserAnswer signOutPage(BrowserRequest r) {
        Optional<BrowserSession> session = core.sessions.find(r.sessionCookie());
        if (session.isEmpty() || !session.get().signedIn()) {
            return BrowserAnswer.page(200, new Page.Message("Signed out", "You are not signed in."));
        }
        return BrowserAnswer.page(200, new Page.SignOut(session.get().csrfToken(), null, null, null));
    }

    /** POST /sign-out: ends this browser's provider session, then returns to a validated client URI if one was given. */
    BrowserAnswer signOut(BrowserRequest r) {
        Optional<BrowserSession> session = core.sessions.find(r.sessionCookie());
        if (session.isEmpty() || !Secrets.same(r.get("csrf"), session.get().csrfToken())) {
            return formExpired();
        }
        Optional<URI> back = postLogoutRedirect(r.get("client_id"), r.get("post_logout_redirect_uri"));
        if (r.get("post_logout_redirect_uri") != null && back.isEmpty()) {
            return invalidLogoutRedirect();
        }
        if (session.get().signedIn()) {
            core.endSession(session.get().sessionId(), session.get().userId().value());
        }
        return afterLogout(back, r.get("state")).clearingCookie();
    }

    /**
     * GET or POST /end-session (RP-initiated logout). With a valid {@code id_token_hint} the session it names ends
     * at once; without one the user confirms on the sign-out page. A {@code post_logout_redirect_uri} must be
     * registered for the client exactly, or an error page is shown instead of any redirect.
     */
    BrowserAnswer endSession(BrowserRequest r) {
        String hint = r.get("id_token_hint");
        Optional<JWTClaimsSet> claims = core.minter.verify(hint, JOSEObjectType.JWT, false);
        if (hint != null && claims.isEmpty()) {
            return BrowserAnswer.error(400, "Invalid sign-out link", "The sign-out request is not valid.");
        }
        String clientId = r.get("client_id");
        if (claims.isPresent()) {
            List<String> audience = claims.get().getAudience();
            if (clientId != null && !audience.contains(clientId)) {
                return BrowserAnswer.error(400, "Invalid sign-out link", "The sign-out request is not valid.");
            }
            clientId = audience.isEmpty() ? null : audience.get(0);
        }
        String requested = r.get("post_logout_redirect_uri");
        Optional<URI> back = postLogoutRedirect(clientId, requested);
        if (requested != null && back.isEmpty()) {
            return invalidLogoutRedirect();
        }
        if (claims.isEmpty()) {
            Optional<BrowserSession> session = core.sessions.find(r.sessionCookie());
            if (session.isEmpty() || !session.get().signedIn()) {
                return afterLogout(back, r.get("state"));
            }
            return BrowserAnswer.page(200, new Page.SignOut(session.get().csrfToken(), clientId,
                    back.map(URI::toString).orElse(null), r.get("state")));
        }
        Object sid = claims.get().getClaim("sid");
        if (sid instanceof String sessionId) {
            core.endSession(sessionId, claims.get().getSubject());
        }
        BrowserAnswer answer = afterLogout(back, r.get("state"));
        Optional<BrowserSession> browser = core.sessions.find(r.sessionCookie());
        return browser.isEmpty() ? answer.clearingCookie() : answer;
    }

    private BrowserAnswer signedIn(User user, BrowserSession previous, Optional<PendingAuthorization> pending) {
        core.users.recordSignIn(user.id());
        BrowserSessions.Issued issued = core.sessions.signIn(previous, user.id());
        if (pending.isEmpty()) {
            return BrowserAnswer.page(200, new Page.Message("Signed in", "You are signed in as " + user.email() + "."))
                    .withCookie(issued.cookieValue());
        }
        PendingAuthorization moved = pending.get().signedIn(issued.session().cookieHash());
        return authorize.proceed(moved, issued.session(), false).withCookie(issued.cookieValue());
    }

    private BrowserAnswer signInAgain(int status, String tx, BrowserSession session, String email, String problem) {
        return BrowserAnswer.page(status, new Page.SignIn(tx, session.csrfToken(), email, problem,
                core.settings.signUpAllowed()));
    }

    private Optional<User> findByEmail(String email) {
        if (!validEmail(email)) {
            return Optional.empty();
        }
        return core.users.findByEmail(email);
    }

    private static boolean validEmail(String email) {
        try {
            Emails.requireValid(email);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Optional<URI> postLogoutRedirect(String clientId, String requested) {
        if (requested == null) {
            return Optional.empty();
        }
        return core.client(clientId).flatMap(c -> c.postLogoutRedirectUris().stream()
                .filter(u -> u.toString().equals(requested)).findFirst());
    }

    private static BrowserAnswer afterLogout(Optional<URI> back, String state) {
        if (back.isEmpty()) {
            return BrowserAnswer.page(200, new Page.Message("Signed out", "You are signed out."));
        }
        String uri = back.get().toString();
        if (state != null) {
            uri += (uri.contains("?") ? "&" : "?") + "state=" + AuthorizeFlow.encode(state);
        }
        return BrowserAnswer.redirect(URI.create(uri));
    }

    private static BrowserAnswer invalidLogoutRedirect() {
        return BrowserAnswer.error(400, "Invalid sign-out link",
                "The address to return to after signing out is not registered for the application.");
    }

    static BrowserAnswer formExpired() {
        return BrowserAnswer.error(400, "Form expired",
                "This form has expired or was sent from another site. Go back to the application and try again.");
    }

    static String tooManyAttempts(Duration left) {
        long minutes = Math.max(1, (left.toSeconds() + 59) / 60);
        return "Too many attempts. Try again in " + minutes + (minutes == 1 ? " minute." : " minutes.");
    }
}
