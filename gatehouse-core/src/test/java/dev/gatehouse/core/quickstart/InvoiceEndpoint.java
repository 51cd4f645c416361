package dev.gatehouse.core.quickstart;

// README:begin
import dev.gatehouse.core.Auth;
import dev.gatehouse.core.AuthRequest;
import dev.gatehouse.core.Check;
import dev.gatehouse.core.Gatehouse;
import dev.gatehouse.core.KeysUnavailableException;
import dev.gatehouse.core.RequestState;

public final class InvoiceEndpoint {
    // Build once and share: it is thread-safe and caches the keys and the tokens it has verified.
    private final Gatehouse gatehouse;

    public InvoiceEndpoint(String gatehouseUrl) {              // Gatehouse's public URL, e.g. https://app.example.com
        gatehouse = Gatehouse.builder()
                .issuer(gatehouseUrl)                           // iss must be exactly this
                .audience("billing-api")                        // aud must name this service (the token template's audience)
                .jwksUrl(gatehouseUrl + "/.well-known/jwks.json")
                .build();
    }

    /** The HTTP status to answer a request carrying {@code Authorization: Bearer <token>}. */
    public int handle(String token) {
        RequestState state;
        try {
            state = gatehouse.authenticateRequest(AuthRequest.bearer(token));
        } catch (KeysUnavailableException e) {
            return 503;                                         // no keys could be fetched: not the caller's fault
        }
        if (!state.isSignedIn()) {
            return 401;                                         // state.reason() says why, e.g. token-expired
        }
        Auth auth = state.toAuth();                             // auth.userId(), auth.orgId(), auth.orgRole(), ...
        return auth.has(Check.permission("org:billing:read")) ? 200 : 403;
    }
}
// README:end
