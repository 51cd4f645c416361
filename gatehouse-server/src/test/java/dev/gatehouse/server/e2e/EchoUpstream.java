package dev.gatehouse.server.e2e;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP upstream on 127.0.0.1:0 that records every request it receives (method, URI, headers, body) and
 * answers 200 with a small JSON summary. It never echoes header values back, so a token it receives cannot leak
 * into a browser response through the test itself.
 *
 * <p>Special paths: {@code .../slow?ms=N} answers after N ms; {@code .../stream} sends one chunk, then the rest
 * once {@link #releaseStream()} is called; {@code .../count} answers with the number of body bytes it read.
 */
public final class EchoUpstream implements AutoCloseable {
    /** One request as the upstream saw it. */
    public record Seen(String method, String uri, MultiMap headers, int bodyBytes) {
        public String header(String name) {
            return headers.get(name);
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private volatile io.vertx.core.Promise<Void> streamGate = io.vertx.core.Promise.promise();
    private volatile io.vertx.core.Promise<Void> firstRequestChunk = io.vertx.core.Promise.promise();

    public EchoUpstream() throws Exception {
        server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public int port() {
        return server.actualPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    public int count() {
        return seen.size();
    }

    public Seen last() {
        return seen.isEmpty() ? null : seen.get(seen.size() - 1);
    }

    public void clear() {
        seen.clear();
    }

    public void releaseStream() {
        streamGate.tryComplete();
    }

    /** Completes when the first chunk of a request body to {@code .../upload} has arrived. */
    public io.vertx.core.Future<Void> firstUploadChunk() {
        return firstRequestChunk.future();
    }

    private void handle(HttpServerRequest req) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
        String path = req.path();
        if (path.endsWith("/stream")) {
            seen.add(new Seen(req.method().name(), req.uri(), headers, 0));
            streamGate = io.vertx.core.Promise.promise();
            req.response().setChunked(true).putHeader("content-type", "text/plain");
            req.response().write("first-chunk\n");
            streamGate.future().onComplete(v -> req.response().end("last-chunk\n"));
            return;
        }
        if (path.endsWith("/upload")) {
            firstRequestChunk = io.vertx.core.Promise.promise();
            int[] bytes = {0};
            req.handler(chunk -> {
                bytes[0] += chunk.length();
                firstRequestChunk.tryComplete();
            });
            req.endHandler(v -> {
                seen.add(new Seen(req.method().name(), req.uri(), headers, bytes[0]));
                req.response().end(new JsonObject().put("bytes", bytes[0]).encode());
            });
            return;
        }
        req.body().onSuccess(body -> {
            seen.add(new Seen(req.method().name(), req.uri(), headers, body.length()));
            Runnable answer = () -> req.response()
                    .putHeader("content-type", "application/json")
                    .end(new JsonObject().put("method", req.method().name()).put("uri", req.uri())
                            .put("bodyBytes", body.length()).encode());
            if (path.endsWith("/slow")) {
                long ms = Long.parseLong(req.getParam("ms", "2000"));
                vertx.setTimer(ms, t -> answer.run());
            } else {
                answer.run();
            }
        });
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static Buffer bytes(int n) {
        return Buffer.buffer(new byte[n]);
    }
}
