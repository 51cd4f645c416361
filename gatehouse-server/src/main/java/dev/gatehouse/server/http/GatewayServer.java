package dev.gatehouse.server.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import dev.gatehouse.server.config.GatewayConfig;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The running listeners: the public one (one server and one upstream client per event loop, sharing the port)
 * and the admin one ({@code /metrics}). {@link #start} completes when both are bound.
 */
public final class GatewayServer implements AutoCloseable {
    private final Vertx vertx;
    private final int port;
    private final int adminPort;

    private GatewayServer(Vertx vertx, int port, int adminPort) {
        this.vertx = vertx;
        this.port = port;
        this.adminPort = adminPort;
    }

    /**
     * Binds the public listener (one server per event loop), then builds the parts for the port it got (the public
     * URL may depend on it), hands them to every loop's server, and starts the admin listener.
     */
    public static CompletableFuture<GatewayServer> start(GatewayConfig config, java.util.function.IntFunction<ServerParts> partsForPort) {
        int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
        org.slf4j.LoggerFactory.getLogger(GatewayServer.class).info("{} event loops, {} transport", loops,
                vertx.isNativeTransportEnabled() ? "native (epoll)" : "NIO");
        String host = config.listen().host();
        // Port 0 picks a free port. Vert.x shares one random port among servers that ask for the same negative
        // port, so every event loop's server asks for -1 and they all end up on the first one's port.
        int port = config.listen().port() == 0 ? -1 : config.listen().port();
        // All instances in one deployment: their contexts are taken from the event loops in turn, one loop each.
        // Deployed one by one, other contexts created in between could put two servers on the same loop, leaving
        // another loop idle while every connection waits on the busy one.
        List<PublicVerticle> servers = new CopyOnWriteArrayList<>();
        Future<ServerParts> ready = vertx.deployVerticle(() -> {
            PublicVerticle server = new PublicVerticle(host, port);
            servers.add(server);
            return server;
        }, new DeploymentOptions().setInstances(loops)).map(id -> {
            ServerParts parts = partsForPort.apply(servers.get(0).actualPort);
            servers.forEach(server -> server.serve(parts));
            return parts;
        });
        Future<Integer> bound = ready.map(parts -> servers.get(0).actualPort);
        Future<Integer> admin = ready.compose(parts -> config.adminListen() == null ? Future.succeededFuture(-1)
                : vertx.createHttpServer(new HttpServerOptions())
                        .requestHandler(new AdminHandler(parts))
                        .listen(config.adminListen().port(), config.adminListen().host())
                        .map(HttpServer::actualPort));
        CompletableFuture<GatewayServer> result = new CompletableFuture<>();
        Future.all(bound, admin).onComplete(ar -> {
            if (ar.succeeded()) {
                result.complete(new GatewayServer(vertx, bound.result(), admin.result()));
            } else {
                vertx.close();
                result.completeExceptionally(ar.cause());
            }
        });
        return result;
    }

    public int port() {
        return port;
    }

    /** The admin listener's port, or -1 when it is off. */
    public int adminPort() {
        return adminPort;
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing anyway
        }
    }

    /**
     * One event loop's public server and upstream client. The servers bind before the parts exist (they may need
     * the port); until {@link #serve} a request gets 503.
     */
    private static final class PublicVerticle extends VerticleBase {
        private volatile int actualPort;
        private volatile RequestDispatcher dispatcher;
        private volatile HttpClient client;
        private volatile io.vertx.core.http.WebSocketClient webSockets;
        private final String host;
        private final int port;

        PublicVerticle(String host, int port) {
            this.host = host;
            this.port = port;
        }

        void serve(ServerParts parts) {
            dispatcher = new RequestDispatcher(parts, new ProxyEndpoint(parts, client, new WebSocketBridge(parts, webSockets)));
        }

        @Override
        public Future<?> start() {
            client = vertx.createHttpClient(
                    new HttpClientOptions().setKeepAlive(true).setPipelining(false).setMaxInitialLineLength(8192),
                    new PoolOptions().setHttp1MaxSize(256));
            webSockets = vertx.createWebSocketClient(new io.vertx.core.http.WebSocketClientOptions().setMaxConnections(1024));
            HttpServerOptions options = new HttpServerOptions()
                    .setHost(host)
                    .setPort(port)
                    .setMaxHeaderSize(16 * 1024)
                    .setCompressionSupported(false);
            return vertx.createHttpServer(options).requestHandler(this::handle).listen()
                    .onSuccess(s -> actualPort = s.actualPort());
        }

        private void handle(HttpServerRequest req) {
            RequestDispatcher d = dispatcher;
            if (d == null) {
                req.response().setStatusCode(503).end();
            } else {
                d.handle(req);
            }
        }
    }
}
