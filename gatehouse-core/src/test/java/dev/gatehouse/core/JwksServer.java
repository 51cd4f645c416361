package dev.gatehouse.core;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real JWKS endpoint on 127.0.0.1 (port 0) that a test can make misbehave: fail, never answer, stall in the
 * middle of the body, answer too much, redirect, or hold requests until released. It counts every request.
 */
final class JwksServer implements AutoCloseable {
    enum Mode { SERVE, FAIL, HANG, STALL_BODY, REDIRECT }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "jwks-server");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger hits = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Mode mode = Mode.SERVE;
    private volatile String body = "{\"keys\":[]}";
    private volatile String redirectTo;
    private volatile CountDownLatch hold;
    private volatile CountDownLatch arrived = new CountDownLatch(1);

    JwksServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/.well-known/jwks.json";
    }

    /** Serves these keys (public parts only). */
    JwksServer publish(JWK... keys) {
        List<JWK> pub = new ArrayList<>();
        for (JWK k : keys) {
            pub.add(k.toPublicJWK());
        }
        body = new JWKSet(pub).toString();
        mode = Mode.SERVE;
        return this;
    }

    /** Serves these keys in a document padded with an ignored member to exactly {@code size} bytes. */
    JwksServer publishPadded(int size, JWK... keys) {
        publish(keys);
        String keysJson = body.substring(1, body.length() - 1);
        String head = "{" + keysJson + ",\"padding\":\"";
        body = head + "x".repeat(size - head.length() - 2) + "\"}";
        return this;
    }

    JwksServer mode(Mode m) {
        this.mode = m;
        return this;
    }

    JwksServer redirectTo(String url) {
        this.redirectTo = url;
        this.mode = Mode.REDIRECT;
        return this;
    }

    /** Requests wait (after being counted) until {@link #release()}. */
    void holdRequests() {
        hold = new CountDownLatch(1);
        arrived = new CountDownLatch(1);
    }

    void release() {
        hold.countDown();
    }

    /** Waits until a request has arrived while requests are held. */
    boolean awaitArrival() throws InterruptedException {
        return arrived.await(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    int hits() {
        return hits.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        hits.incrementAndGet();
        try (exchange) {
            CountDownLatch h = hold;
            if (h != null) {
                arrived.countDown();
                h.await();
            }
            switch (mode) {
                case FAIL -> exchange.sendResponseHeaders(500, -1);
                case HANG -> closing.await();
                case STALL_BODY -> {
                    exchange.sendResponseHeaders(200, 1000);
                    OutputStream out = exchange.getResponseBody();
                    out.write("{\"keys\":[".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    closing.await();
                }
                case REDIRECT -> {
                    exchange.getResponseHeaders().set("Location", redirectTo);
                    exchange.sendResponseHeaders(302, -1);
                }
                case SERVE -> {
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, bytes.length);
                    exchange.getResponseBody().write(bytes);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        CountDownLatch h = hold;
        if (h != null) {
            h.countDown();
        }
        server.stop(0);
        executor.shutdownNow();
    }
}
