package dev.gatehouse.identity.provider;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.identity.orgs.OrganizationMembership;
import dev.gatehouse.identity.passwords.PasswordHasher;
import dev.gatehouse.identity.passwords.PasswordPolicy;
import dev.gatehouse.identity.store.IdentityDatabase;
import dev.gatehouse.identity.store.OrganizationStore;
import dev.gatehouse.identity.store.RefreshToken;
import dev.gatehouse.identity.store.RefreshTokenStore;
import dev.gatehouse.identity.store.UserStore;
import dev.gatehouse.identity.throttle.LoginThrottle;
import dev.gatehouse.identity.users.User;
import dev.gatehouse.identity.users.UserId;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The provider's parts, built once by {@link OpenIdProvider} and shared by its flows: settings, issuer, clients,
 * stores, in-memory state (browser sessions, pending authorizations, codes), the token minter and the
 * back-channel notifier. Also the operations several flows need: a user's claims, and ending a session.
 * Blocking methods say so.
 */
final class ProviderCore {
    final ProviderSettings settings;
    final URI issuer;
    final Clock clock;
    final Map<String, ClientRegistration> clients = new ConcurrentHashMap<>();
    final UserStore users;
    final OrganizationStore organizations;
    final RefreshTokenStore refreshTokens;
    final PasswordHasher hasher;
    final PasswordPolicy policy = PasswordPolicy.standard();
    final LoginThrottle throttle;
    final BrowserSessions sessions;
    final Cache<String, PendingAuthorization> pending;
    final AuthorizationCodes codes;
    final ProviderKeys keys;
    final KeyRotation rotation;
    final TokenMinter minter;
    final BackchannelNotifier backchannel;
    /** Session ids ended here: their unexpired access tokens stop working at userinfo. */
    final Cache<String, Boolean> endedSessions;
    /** Revoked access tokens, by {@code jti}, until they would have expired anyway. */
    final Cache<String, Boolean> revokedAccessTokens;

    ProviderCore(ProviderSettings settings, URI issuer, IdentityDatabase database, ProviderKeys keys) {
        this.settings = settings;
        this.issuer = issuer;
        this.clock = settings.clock();
        this.users = database.users(clock, settings.random());
        this.organizations = database.organizations(clock, settings.random());
        this.refreshTokens = database.refreshTokens();
        this.hasher = new PasswordHasher(settings.passwordParameters(), settings.random());
        this.throttle = new LoginThrottle(clock, settings.failureWindow(), settings.maxFailuresPerAccount(),
                settings.maxFailuresPerAddress());
        this.sessions = new BrowserSessions(clock, settings.random(), settings.sessionLifetime());
        this.pending = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(15))
                .ticker(Tickers.of(clock)).build();
        this.codes = new AuthorizationCodes(clock, settings.random());
        this.keys = keys;
        this.rotation = new KeyRotation(keys, settings.signingKeyRotation());
        this.minter = new TokenMinter(issuer, rotation, clock, settings.random());
        this.backchannel = new BackchannelNotifier(minter, clients);
        Duration tokenLife = settings.accessTokenLifetime().plusMinutes(1);
        this.endedSessions = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(tokenLife)
                .ticker(Tickers.of(clock)).build();
        this.revokedAccessTokens = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(tokenLife)
                .ticker(Tickers.of(clock)).build();
    }

    Optional<ClientRegistration> client(String clientId) {
        return clientId == null ? Optional.empty() : Optional.ofNullable(clients.get(clientId));
    }

    URI endpoint(String path) {
        return URI.create(issuer + path);
    }

    /** The user's claims with {@code organizationId} active; empty when the user is gone. Blocking. */
    Optional<Map<String, Object>> claims(UserId userId, String organizationId) {
        Optional<User> user = users.find(userId);
        if (user.isEmpty()) {
            return Optional.empty();
        }
        List<OrganizationMembership> memberships = organizations.membershipsOf(userId);
        return Optional.of(UserClaims.of(user.get(), memberships, organizationId));
    }

    /**
     * Ends provider session {@code sessionId}: its browser sessions, its refresh tokens and its access tokens
     * at userinfo; then tells every client that took part (back-channel logout, sent in the background).
     * Blocking.
     */
    void endSession(String sessionId, String subject) {
        Set<String> participants = new LinkedHashSet<>();
        sessions.end(sessionId).forEach(s -> participants.addAll(s.clients()));
        endedSessions.put(sessionId, Boolean.TRUE);
        List<RefreshToken> revoked = refreshTokens.revokeSession(sessionId, clock.instant());
        revoked.forEach(t -> participants.add(t.clientId()));
        participants.addAll(refreshTokens.clientsOfSession(sessionId));
        backchannel.logout(participants, subject, sessionId);
    }
}
