package dev.gatehouse.server.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A real upstream on 127.0.0.1:0 that answers every request with 200 and the given {@code Set-Cookie} headers. */
final class SetCookieUpstream implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger count = new AtomicInteger();

    SetCookieUpstream(List<String> setCookies) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", exchange -> {
            count.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            setCookies.forEach(c -> exchange.getResponseHeaders().add("Set-Cookie", c));
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int count() {
        return count.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
