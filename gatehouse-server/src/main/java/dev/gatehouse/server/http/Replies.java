package dev.gatehouse.server.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * Every answer the gateway writes itself: JSON for API callers (with a stable {@code reason}), small HTML pages
 * for browsers, and redirects. All carry {@code Cache-Control: no-store}; pages also carry a strict CSP and
 * {@code Referrer-Policy: no-referrer}. No stack trace, token or provider text ever reaches these bodies.
 */
final class Replies {
    private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");
    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence HTML = HttpHeaders.createOptimized("text/html; charset=utf-8");
    private static final CharSequence NO_REFERRER = HttpHeaders.createOptimized("no-referrer");
    private static final CharSequence NOSNIFF = HttpHeaders.createOptimized("nosniff");
    private static final CharSequence PAGE_CSP = HttpHeaders.createOptimized("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");

    private Replies() {
    }

    static void json(HttpServerRequest req, int status, JsonObject body) {
        HttpServerResponse res = req.response();
        if (res.ended()) {
            return;
        }
        res.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE)
                .putHeader("X-Content-Type-Options", NOSNIFF)
                .end(body.encode());
    }

    /** A refusal or failure: {@code {"reason": ..., "message": ...}}, with {@code signedIn:false} on 401. */
    static void problem(HttpServerRequest req, int status, String reason, String message) {
        JsonObject body = new JsonObject();
        if (status == 401) {
            body.put("signedIn", false);
        }
        body.put("reason", reason).put("message", message);
        json(req, status, body);
    }

    static void page(HttpServerRequest req, int status, String title, String message) {
        HttpServerResponse res = req.response();
        if (res.ended()) {
            return;
        }
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                + "content=\"width=device-width,initial-scale=1\"><title>" + escape(title) + "</title><style>"
                + "body{font-family:system-ui,sans-serif;max-width:34rem;margin:4rem auto;padding:0 1rem;color:#222}"
                + "h1{font-size:1.4rem}a{color:#0b5fff}</style></head><body><h1>" + escape(title) + "</h1><p>"
                + escape(message) + "</p><p><a href=\"/\">Back to the start</a></p></body></html>";
        res.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, HTML)
                .putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE)
                .putHeader("Content-Security-Policy", PAGE_CSP)
                .putHeader("Referrer-Policy", NO_REFERRER)
                .putHeader("X-Content-Type-Options", NOSNIFF)
                .end(html);
    }

    static void redirect(HttpServerRequest req, String location) {
        HttpServerResponse res = req.response();
        if (res.ended()) {
            return;
        }
        res.setStatusCode(302)
                .putHeader(HttpHeaders.LOCATION, location)
                .putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE)
                .putHeader("Referrer-Policy", NO_REFERRER)
                .end();
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '&': out.append("&amp;"); break;
                case '"': out.append("&quot;"); break;
                case '\'': out.append("&#39;"); break;
                default: out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * True for a browser navigation that may be redirected to sign-in: {@code Sec-Fetch-Mode} absent or
     * {@code navigate}, and an {@code Accept} that asks for HTML. Fetch and XHR calls get 401/403, never a redirect.
     */
    static boolean isNavigation(HttpServerRequest req) {
        String mode = req.getHeader("Sec-Fetch-Mode");
        if (mode != null && !mode.equals("navigate")) {
            return false;
        }
        String accept = req.getHeader(HttpHeaders.ACCEPT);
        return accept != null && accept.contains("text/html");
    }
}
