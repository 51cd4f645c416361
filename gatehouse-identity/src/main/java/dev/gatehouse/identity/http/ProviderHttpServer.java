package dev.gatehouse.identity.http;

import dev.gatehouse.identity.provider.OpenIdProvider;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * The provider's HTTP listener: one event loop (the provider's work runs on the worker pool), bound before the
 * provider is built, because the issuer URL may depend on the port it got. Requests that arrive before the
 * provider is ready are answered 503.
 */
public final class ProviderHttpServer implements AutoCloseable {
    private final Vertx vertx;
    private final HttpServer server;

    private ProviderHttpServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** Binds {@code host:port} (0: any free port), then builds the provider for the bound port. Blocking. */
    public static ProviderHttpServer start(String host, int port, IntFunction<OpenIdProvider> build) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(8));
        ProviderRoutes routes = new ProviderRoutes(vertx);
        try {
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setMaxFormAttributeSize(64 * 1024)
                            .setDecompressionSupported(false))
                    .requestHandler(routes::handle)
                    .listen(port, host)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            routes.ready(build.apply(server.actualPort()));
            return new ProviderHttpServer(vertx, server);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            vertx.close();
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("the embedded provider cannot listen on " + host + ":" + port + ": " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            vertx.close();
            throw new IllegalStateException("interrupted while starting the embedded provider", e);
        }
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // closing is best effort: the listener is gone or going
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
