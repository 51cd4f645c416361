package dev.gatehouse.server.http;

import dev.gatehouse.server.gate.Verdict;
import dev.gatehouse.server.proxy.Route;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * WebSocket upgrades through the proxy, after the same {@link dev.gatehouse.server.gate.Gatekeeper} decision as
 * any request (and an {@code Origin} check, done by the caller). The upstream handshake carries the route's token;
 * messages are relayed both ways unchanged; either side closing closes the other; and the browser's socket is
 * closed with 1008 (policy violation) when its session ends.
 */
final class WebSocketBridge {
    private static final List<String> HANDSHAKE_HEADERS = List.of("sec-websocket-key", "sec-websocket-version",
            "sec-websocket-extensions", "sec-websocket-protocol", "host", "content-length");

    private final ServerParts parts;
    private final WebSocketClient client;

    WebSocketBridge(ServerParts parts, WebSocketClient client) {
        this.parts = parts;
        this.client = client;
    }

    static boolean isUpgrade(HttpServerRequest req) {
        String upgrade = req.getHeader(HttpHeaders.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    void bridge(HttpServerRequest req, Verdict.Pass pass, MultiMap headers) {
        Route route = pass.route();
        for (String name : HANDSHAKE_HEADERS) {
            headers.remove(name);
        }
        String query = req.query();
        String path = route.upstreamPath(pass.path());
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(route.upstreamHost())
                .setPort(route.upstreamPort())
                .setSsl(route.upstreamTls())
                .setURI(query == null ? path : path + "?" + query)
                .setHeaders(headers)
                .setConnectTimeout(route.connectTimeout().toMillis());
        String protocols = req.getHeader("Sec-WebSocket-Protocol");
        if (protocols != null) {
            List<String> list = new ArrayList<>();
            for (String p : protocols.split(",")) {
                list.add(p.trim());
            }
            options.setSubProtocols(list);
        }
        // The request stays paused until toWebSocket(): once its (empty) body has been read, Vert.x refuses the upgrade.
        client.connect(options).onComplete(connected -> {
            if (connected.failed()) {
                req.resume();
                parts.metrics().proxied(502);
                Replies.problem(req, 502, "upstream_unavailable", "The service is unavailable.");
                return;
            }
            WebSocket upstream = connected.result();
            // Hold what the upstream says first (a greeting) until the browser's side exists to receive it.
            upstream.pause();
            req.toWebSocket().onComplete(accepted -> {
                if (accepted.failed()) {
                    upstream.close();
                    return;
                }
                relay(accepted.result(), upstream, pass);
            });
        });
    }

    private void relay(ServerWebSocket browser, WebSocket upstream, Verdict.Pass pass) {
        parts.metrics().proxied(101);
        browser.textMessageHandler(upstream::writeTextMessage);
        browser.binaryMessageHandler(upstream::writeBinaryMessage);
        upstream.textMessageHandler(browser::writeTextMessage);
        upstream.binaryMessageHandler(browser::writeBinaryMessage);
        Runnable untrack = pass.session() == null ? () -> { }
                : parts.liveConnections().track(pass.session().key(), () -> browser.close((short) 1008, "session ended"));
        browser.closeHandler(v -> {
            untrack.run();
            upstream.close();
        });
        upstream.closeHandler(v -> {
            untrack.run();
            browser.close();
        });
        upstream.resume();
    }
}
