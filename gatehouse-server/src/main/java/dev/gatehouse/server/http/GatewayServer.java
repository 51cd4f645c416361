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
import io.vertx.core.http.PoolOptions;
import dev.gatehouse.server.config.GatewayConfig;
import java.util.concurrent.CompletableFuture;
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
     * Binds the public listener, then builds the parts for the port it got (the public URL may depend on it),
     * then starts the remaining event loops and the admin listener.
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
        PublicVerticle first = new PublicVerticle(host, port);
        Future<ServerParts> ready = vertx.deployVerticle(first).map(id -> {
            ServerParts parts = partsForPort.apply(first.actualPort);
            first.serve(parts);
            return parts;
        });
        Future<Integer> bound = ready.compose(parts -> loops == 1 ? Future.succeededFuture(first.actualPort)
                : vertx.deployVerticle(() -> new PublicVerticle(host, port).serving(parts),
                        new DeploymentOptions().setInstances(loops - 1)).map(id -> first.actualPort));
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
     * One event loop's public server and upstream client. The first one binds before the parts exist (they may
     * need its port); nobody can send it a request before {@link #serve} since nobody knows the port yet.
     */
    private static final class PublicVerticle extends VerticleBase {
        private volatile int actualPort;
        private volatile RequestDispatcher dispatcher;
        private HttpClient client;
        private io.vertx.core.http.WebSocketClient webSockets;
        private final String host;
        private final int port;

        PublicVerticle(String host, int port) {
            this.host = host;
            this.port = port;
        }

        PublicVerticle serving(ServerParts parts) {
            this.pendingParts = parts;
            return this;
        }

        private ServerParts pendingParts;

        void serve(ServerParts parts) {
            dispatcher = new RequestDispatcher(parts, new ProxyEndpoint(parts, client, new WebSocketBridge(parts, webSockets)));
        }

        @Override
        public Future<?> start() {
            client = vertx.createHttpClient(
                    new HttpClientOptions().setKeepAlive(true).setPipelining(false).setMaxInitialLineLength(8192),
                    new PoolOptions().setHttp1MaxSize(256));
            webSockets = vertx.createWebSocketClient(new io.vertx.core.http.WebSocketClientOptions().setMaxConnections(1024));
            if (pendingParts != null) {
                serve(pendingParts);
            }
            HttpServerOptions options = new HttpServerOptions()
                    .setHost(host)
                    .setPort(port)
                    .setMaxHeaderSize(16 * 1024)
                    .setCompressionSupported(false);
            return vertx.createHttpServer(options).requestHandler(req -> dispatcher.handle(req)).listen()
                    .onSuccess(s -> actualPort = s.actualPort());
        }
    }
}
