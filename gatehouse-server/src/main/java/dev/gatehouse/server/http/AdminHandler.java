package dev.gatehouse.server.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/** The admin listener: {@code /metrics} in the Prometheus text format. Bind it to a private address. */
final class AdminHandler implements Handler<HttpServerRequest> {
    private final ServerParts parts;

    AdminHandler(ServerParts parts) {
        this.parts = parts;
    }

    @Override
    public void handle(HttpServerRequest req) {
        if (req.path().equals("/metrics")) {
            req.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                    .end(parts.metrics().scrape());
        } else {
            Replies.problem(req, 404, "not_found", "The admin listener serves /metrics.");
        }
    }
}
