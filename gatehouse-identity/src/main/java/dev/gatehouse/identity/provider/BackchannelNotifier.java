package dev.gatehouse.identity.provider;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenID Back-Channel Logout 1.0, the provider's side: POSTs a signed logout token to each client that
 * registered a {@code backchannelLogoutUri}, from its own small thread pool (never an event loop), with a
 * {@value #TIMEOUT_SECONDS}-second timeout and no retry. Failures are logged with the client id and status or
 * error type, never the token.
 */
final class BackchannelNotifier implements AutoCloseable {
    static final int TIMEOUT_SECONDS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(BackchannelNotifier.class);

    private final TokenMinter minter;
    private final Map<String, ClientRegistration> clients;
    private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "gatehouse-idp-backchannel");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(TIMEOUT_SECONDS))
            .followRedirects(HttpClient.Redirect.NEVER)
            .executor(executor)
            .build();

    BackchannelNotifier(TokenMinter minter, Map<String, ClientRegistration> clients) {
        this.minter = minter;
        this.clients = clients;
    }

    /** Sends the logout tokens; the returned future completes when every client answered or failed. */
    CompletableFuture<Void> logout(Collection<String> clientIds, String subject, String sessionId) {
        CompletableFuture<?>[] sends = clientIds.stream()
                .map(clients::get)
                .filter(c -> c != null && c.backchannelLogoutUri() != null)
                .map(c -> send(c, minter.logoutToken(c.clientId(), subject, sessionId)))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(sends);
    }

    private CompletableFuture<Void> send(ClientRegistration client, String logoutToken) {
        URI target = client.backchannelLogoutUri();
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(Duration.ofSeconds(TIMEOUT_SECONDS))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("logout_token=" + URLEncoder.encode(logoutToken, StandardCharsets.UTF_8)))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .handle((response, error) -> {
                    if (error != null) {
                        LOG.warn("Back-channel logout to client {} failed: {}", client.clientId(), error.getClass().getSimpleName());
                    } else if (response.statusCode() / 100 != 2) {
                        LOG.warn("Back-channel logout to client {} answered {}", client.clientId(), response.statusCode());
                    } else {
                        LOG.info("Back-channel logout sent to client {}", client.clientId());
                    }
                    return null;
                });
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
