package dev.gatehouse.server.e2e;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real upstream for long-lived connections on 127.0.0.1:0. A WebSocket upgrade to any path is accepted and
 * echoes every text and binary message back (on a path ending in {@code /greet} it first says {@code welcome},
 * as chat and GraphQL servers do); a GET to a path ending in {@code /events} is a server-sent event
 * stream that sends {@code data: N} every {@link #EVENT_INTERVAL_MS} ms and never ends by itself. Each connection
 * is recorded under its path (tests use one path per test) with the request headers it arrived with and a
 * future that completes when the connection closed, so a test can see what the upstream saw without sleeping.
 * Header values are never sent back.
 */
public final class LiveUpstream implements AutoCloseable {
    static final long EVENT_INTERVAL_MS = 100;

    /** One WebSocket as the upstream saw it. */
    public static final class Socket {
        public final String path;
        public final MultiMap headers;
        /** Completes with the close status code the browser side sent (or null) when the socket closed. */
        public final CompletableFuture<Short> closed = new CompletableFuture<>();
        private volatile ServerWebSocket ws;

        Socket(String path, MultiMap headers) {
            this.path = path;
            this.headers = headers;
        }

        public String header(String name) {
            return headers.get(name);
        }

        /** The upstream ends the conversation from its side. */
        public void close() {
            ws.close((short) 1000, "upstream done");
        }
    }

    /** One event stream as the upstream saw it. */
    public static final class Stream {
        public final String path;
        public final MultiMap headers;
        /** Completes when the upstream's side of the stream was closed (it never ends it itself). */
        public final CompletableFuture<Void> closed = new CompletableFuture<>();
        /** Completes once the upstream has written its first event. */
        public final CompletableFuture<Void> firstSent = new CompletableFuture<>();

        Stream(String path, MultiMap headers) {
            this.path = path;
            this.headers = headers;
        }

        public String header(String name) {
            return headers.get(name);
        }
    }

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, CompletableFuture<Socket>> sockets = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Stream>> streams = new ConcurrentHashMap<>();
    private final List<MultiMap> allHeaders = new java.util.concurrent.CopyOnWriteArrayList<>();

    public LiveUpstream() throws Exception {
        server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** Every request that reached this upstream, upgrades included. */
    public int requests() {
        return requests.get();
    }

    /** The WebSocket opened on {@code path}, once it arrives. */
    public CompletableFuture<Socket> socket(String path) {
        return sockets.computeIfAbsent(path, p -> new CompletableFuture<>());
    }

    /** The event stream requested on {@code path}, once it arrives. */
    public CompletableFuture<Stream> stream(String path) {
        return streams.computeIfAbsent(path, p -> new CompletableFuture<>());
    }

    /** Every bearer token this upstream received, for the no-token-in-the-browser scan. */
    public List<String> bearerTokens() {
        List<String> tokens = new ArrayList<>();
        for (MultiMap h : allHeaders) {
            String auth = h.get(HttpHeaders.AUTHORIZATION);
            if (auth != null && auth.startsWith("Bearer ")) {
                tokens.add(auth.substring(7));
            }
        }
        return tokens;
    }

    private void handle(HttpServerRequest req) {
        requests.incrementAndGet();
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
        allHeaders.add(headers);
        String upgrade = req.getHeader(HttpHeaders.UPGRADE);
        if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
            Socket socket = new Socket(req.path(), headers);
            req.toWebSocket().onSuccess(ws -> {
                socket.ws = ws;
                ws.textMessageHandler(ws::writeTextMessage);
                ws.binaryMessageHandler(ws::writeBinaryMessage);
                ws.closeHandler(v -> socket.closed.complete(ws.closeStatusCode()));
                if (req.path().endsWith("/greet")) {
                    ws.writeTextMessage("welcome");
                }
                socket(req.path()).complete(socket);
            });
            return;
        }
        if (req.path().endsWith("/events")) {
            Stream stream = new Stream(req.path(), headers);
            req.response().setChunked(true)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            AtomicInteger n = new AtomicInteger();
            long timer = vertx.setPeriodic(0, EVENT_INTERVAL_MS, t -> req.response()
                    .write("id: " + n.incrementAndGet() + "\ndata: event " + n.get() + "\n\n")
                    .onSuccess(v -> stream.firstSent.complete(null)));
            req.response().closeHandler(v -> {
                vertx.cancelTimer(timer);
                stream.closed.complete(null);
            });
            stream(req.path()).complete(stream);
            return;
        }
        req.response().setStatusCode(404).end();
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
