package dev.gatehouse.identity.provider;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A small real HTTP server standing in for a client's back-channel logout endpoint: it keeps each logout token. */
final class BackchannelReceiver implements AutoCloseable {
    private final HttpServer server;
    private final BlockingQueue<String> tokens = new LinkedBlockingQueue<>();

    BackchannelReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/auth/backchannel-logout", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if ("POST".equals(exchange.getRequestMethod()) && type != null
                    && type.startsWith("application/x-www-form-urlencoded") && body.startsWith("logout_token=")) {
                tokens.add(URLDecoder.decode(body.substring("logout_token=".length()), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(200, -1);
            } else {
                exchange.sendResponseHeaders(400, -1);
            }
            exchange.close();
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/auth/backchannel-logout");
    }

    /** The next logout token, waiting up to 10 seconds for the provider's background send. */
    String next() throws InterruptedException {
        String token = tokens.poll(10, TimeUnit.SECONDS);
        if (token == null) {
            throw new AssertionError("no back-channel logout arrived within 10 seconds");
        }
        return token;
    }

    int pending() {
        return tokens.size();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
