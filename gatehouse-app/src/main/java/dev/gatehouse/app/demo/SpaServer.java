package dev.gatehouse.app.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The demo single-page app's static files (HTML, JS, CSS from the classpath), on 127.0.0.1 at a free port, behind
 * the gateway's public {@code /**} route. Every path that is not one of the files gets {@code index.html}, as a
 * SPA host does. The files are read once at start; nothing is read from disk per request.
 */
final class SpaServer implements AutoCloseable {
    private static final String ROOT = "/dev/gatehouse/app/demo/spa/";
    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "style.css", "text/css; charset=utf-8");

    private final HttpServer server;
    private final Map<String, byte[]> files;

    private SpaServer(HttpServer server, Map<String, byte[]> files) {
        this.server = server;
        this.files = files;
    }

    static SpaServer start() throws IOException {
        Map<String, byte[]> files = new java.util.HashMap<>();
        for (String name : TYPES.keySet()) {
            try (InputStream in = SpaServer.class.getResourceAsStream(ROOT + name)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + ROOT + name);
                }
                files.put(name, in.readAllBytes());
            }
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        SpaServer spa = new SpaServer(server, Map.copyOf(files));
        server.createContext("/", spa::handle);
        server.start();
        return spa;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (!files.containsKey(name) || name.equals("index.html")) {
                name = "index.html";
            }
            byte[] body = files.get(name);
            exchange.getResponseHeaders().set("Content-Type", TYPES.get(name));
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            exchange.getResponseHeaders().set("Content-Security-Policy",
                    "default-src 'self'; img-src 'self' https: data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
