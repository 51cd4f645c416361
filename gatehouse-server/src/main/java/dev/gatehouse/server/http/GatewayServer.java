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

    public static CompletableFuture<GatewayServer> start(ServerParts parts) {
        int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
        String host = parts.config().listen().host();
        int requested = parts.config().listen().port();
        // Port 0 picks a free port; the first listener learns it and the others bind the same one.
        PublicVerticle first = new PublicVerticle(parts, host, requested);
        Future<Integer> bound = vertx.deployVerticle(first)
                .map(id -> first.actualPort)
                .compose(port -> loops == 1 ? Future.succeededFuture(port)
                        : vertx.deployVerticle(() -> new PublicVerticle(parts, host, port), new DeploymentOptions().setInstances(loops - 1))
                                .map(id -> port));
        Future<Integer> admin = parts.config().adminListen() == null ? Future.succeededFuture(-1)
                : vertx.createHttpServer(new HttpServerOptions())
                        .requestHandler(new AdminHandler(parts))
                        .listen(parts.config().adminListen().port(), parts.config().adminListen().host())
                        .map(HttpServer::actualPort);
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

    /** One event loop's public server and upstream client. */
    private static final class PublicVerticle extends VerticleBase {
        private volatile int actualPort;
        private final ServerParts parts;
        private final String host;
        private final int port;

        PublicVerticle(ServerParts parts, String host, int port) {
            this.parts = parts;
            this.host = host;
            this.port = port;
        }

        @Override
        public Future<?> start() {
            HttpClient client = vertx.createHttpClient(
                    new HttpClientOptions().setKeepAlive(true).setPipelining(false).setMaxInitialLineLength(8192),
                    new PoolOptions().setHttp1MaxSize(256));
            RequestDispatcher dispatcher = new RequestDispatcher(parts, new ProxyEndpoint(parts, client));
            HttpServerOptions options = new HttpServerOptions()
                    .setHost(host)
                    .setPort(port)
                    .setMaxHeaderSize(16 * 1024)
                    .setCompressionSupported(false);
            return vertx.createHttpServer(options).requestHandler(dispatcher).listen().onSuccess(s -> actualPort = s.actualPort());
        }
    }
}
