package dev.gatehouse.app.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.core.Auth;
import dev.gatehouse.core.AuthRequest;
import dev.gatehouse.core.Check;
import dev.gatehouse.core.Gatehouse;
import dev.gatehouse.core.KeysUnavailableException;
import dev.gatehouse.core.RequestState;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One demo service behind the gateway, on 127.0.0.1 and a port of its own: it trusts nothing but the per-service
 * token in {@code Authorization}, verified with the SDK against the gateway's JWKS for its own audience. Without
 * a valid token it answers 401; with one that lacks {@code requiredPermission} (when set) in the active
 * organization, 403; otherwise 200 with what the token said. Until {@link #trust} names the gateway it answers 503.
 */
final class DemoApi implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String audience;
    private final String requiredPermission;
    private final HttpServer server;
    private final ExecutorService workers;
    private final AtomicReference<Gatehouse> verifier = new AtomicReference<>();

    private DemoApi(String name, String audience, String requiredPermission, HttpServer server, ExecutorService workers) {
        this.name = name;
        this.audience = audience;
        this.requiredPermission = requiredPermission;
        this.server = server;
        this.workers = workers;
    }

    /** Starts listening on 127.0.0.1 at a free port. {@code requiredPermission} may be null (signed in is enough). */
    static DemoApi start(String name, String audience, String requiredPermission) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // JWKS fetches block; each request gets a worker thread, never the server's dispatcher
        ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "demo-api-" + name);
            t.setDaemon(true);
            return t;
        });
        DemoApi api = new DemoApi(name, audience, requiredPermission, server, workers);
        server.createContext("/", api::handle);
        server.setExecutor(workers);
        server.start();
        return api;
    }

    /**
     * From now on, tokens must be issued by the gateway whose public URL is {@code issuer} (their {@code iss}), for
     * this API's audience, signed with a key from {@code jwksUrl} (the gateway's, reached on this machine).
     */
    void trust(String issuer, String jwksUrl) {
        verifier.set(Gatehouse.builder()
                .issuer(issuer)
                .audience(audience)
                .jwksUrl(jwksUrl)
                .sessionCookie(null)
                .build());
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Gatehouse gatehouse = verifier.get();
            if (gatehouse == null) {
                reply(exchange, 503, problem("starting", "The demo is still starting."));
                return;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            RequestState state;
            try {
                state = gatehouse.authenticateRequest(AuthRequest.of(
                        authorization == null ? Map.of() : Map.of("Authorization", authorization), Map.of()));
            } catch (KeysUnavailableException e) {
                reply(exchange, 503, problem("keys_unavailable", "The gateway's keys could not be fetched."));
                return;
            }
            if (!state.isSignedIn()) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                reply(exchange, 401, problem(state.reason().value(), "No valid token for " + audience + "."));
                return;
            }
            Auth auth = state.toAuth();
            if (requiredPermission != null && !auth.has(Check.permission(requiredPermission))) {
                ObjectNode body = problem("missing_permission", "This needs " + requiredPermission
                        + (auth.orgSlug() == null ? " in an organization." : ", which you do not have in " + auth.orgSlug() + "."));
                reply(exchange, 403, body);
                return;
            }
            ObjectNode body = JSON.createObjectNode();
            body.put("api", name);
            body.put("path", exchange.getRequestURI().getRawPath());
            body.put("userId", auth.userId());
            body.put("email", String.valueOf(auth.claims().getOrDefault("email", "")));
            body.put("organization", auth.orgSlug());
            body.put("orgRole", auth.orgRole());
            body.putPOJO("orgPermissions", auth.orgPermissions());
            body.put("audience", audience);
            reply(exchange, 200, body);
        }
    }

    private ObjectNode problem(String reason, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.put("api", name);
        body.put("reason", reason);
        body.put("message", message);
        return body;
    }

    private static void reply(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
