package dev.gatehouse.server.http;

import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * Brings the result of a framework-free {@link CompletionStage} back onto the request's event loop. A stage that
 * is already complete (the memory store's answers) is handled at once, without a context switch. Callers that
 * will read the request body afterwards pause the request first.
 */
final class Async {
    private Async() {
    }

    static <T> void then(HttpServerRequest req, CompletionStage<T> stage, BiConsumer<T, Throwable> handler) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        if (future.isDone()) {
            T value = null;
            Throwable error = null;
            try {
                value = future.join();
            } catch (CompletionException e) {
                error = e.getCause();
            } catch (RuntimeException e) {
                error = e;
            }
            handler.accept(value, error);
            return;
        }
        Context context = io.vertx.core.Vertx.currentContext();
        future.whenComplete((value, error) -> context.runOnContext(v -> handler.accept(value, unwrap(error))));
    }

    static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
