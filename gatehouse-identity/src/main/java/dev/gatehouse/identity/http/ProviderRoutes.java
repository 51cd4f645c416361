package dev.gatehouse.identity.http;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.gatehouse.identity.provider.BrowserAnswer;
import dev.gatehouse.identity.provider.BrowserRequest;
import dev.gatehouse.identity.provider.OpenIdProvider;
import dev.gatehouse.identity.store.StoreUnavailableException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps method and path to the provider: pages and the authorization endpoint get a {@link BrowserRequest} and
 * answer HTML or a 303; the token, revocation and userinfo endpoints get a Nimbus {@link HTTPRequest} and answer
 * its {@link HTTPResponse}. Everything but discovery, JWKS and the stylesheet runs on a worker thread. Bodies are
 * limited to {@value #MAX_BODY} bytes. Failures are logged by type and answered without details.
 */
final class ProviderRoutes {
    static final String COOKIE = "gatehouse-idp";
    static final int MAX_BODY = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ProviderRoutes.class);

    private final Vertx vertx;
    private final PageRenderer pages = new PageRenderer();
    private volatile OpenIdProvider provider;

    ProviderRoutes(Vertx vertx) {
        this.vertx = vertx;
    }

    void ready(OpenIdProvider p) {
        this.provider = p;
    }

    void handle(HttpServerRequest req) {
        OpenIdProvider p = provider;
        if (p == null) {
            req.response().setStatusCode(503).end();
            return;
        }
        HttpMethod m = req.method();
        boolean get = m == HttpMethod.GET || m == HttpMethod.HEAD;
        boolean post = m == HttpMethod.POST;
        switch (req.path()) {
            case "/.well-known/openid-configuration" -> json(req, get, p.discoveryJson());
            case "/jwks" -> json(req, get, p.jwksJson());
            case "/assets/gatehouse.css" -> css(req, get);
            case "/authorize" -> browser(req, get, post, p::authorize, p::authorize);
            case "/sign-in" -> browser(req, get, post, p::signInPage, p::signIn);
            case "/sign-up" -> browser(req, get, post, p::signUpPage, p::signUp);
            case "/choose-organization" -> browser(req, get, post, p::chooseOrganizationPage, p::chooseOrganization);
            case "/sign-out" -> browser(req, get, post, p::signOutPage, p::signOut);
            case "/end-session" -> browser(req, get, post, p::endSession, p::endSession);
            case "/token" -> api(req, post, p::token);
            case "/revoke" -> api(req, post, p::revoke);
            case "/userinfo" -> api(req, get || post, p::userinfo);
            default -> page(req, 404, pages.message("Not found", "There is no page here."));
        }
    }

    private void json(HttpServerRequest req, boolean allowed, String body) {
        if (!allowed) {
            methodNotAllowed(req);
            return;
        }
        req.response().putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "public, max-age=60")
                .putHeader("Access-Control-Allow-Origin", "*")
                .end(body);
    }

    private void css(HttpServerRequest req, boolean allowed) {
        if (!allowed) {
            methodNotAllowed(req);
            return;
        }
        req.response().putHeader("Content-Type", "text/css; charset=utf-8")
                .putHeader("Cache-Control", "public, max-age=3600")
                .putHeader("X-Content-Type-Options", "nosniff")
                .end(pages.stylesheet());
    }

    private void browser(HttpServerRequest req, boolean get, boolean post,
            Function<BrowserRequest, BrowserAnswer> onGet, Function<BrowserRequest, BrowserAnswer> onPost) {
        Cookie cookie = req.getCookie(COOKIE);
        String cookieValue = cookie == null ? null : cookie.getValue();
        String address = req.remoteAddress() == null ? null : req.remoteAddress().hostAddress();
        if (get) {
            Map<String, List<String>> query = URLUtils.parseParameters(req.query());
            work(req, () -> onGet.apply(new BrowserRequest(query, cookieValue, address)), this::browserAnswer);
        } else if (post && onPost != null) {
            readBody(req, body -> {
                Map<String, List<String>> form = URLUtils.parseParameters(body);
                work(req, () -> onPost.apply(new BrowserRequest(form, cookieValue, address)), this::browserAnswer);
            });
        } else {
            methodNotAllowed(req);
        }
    }

    private void api(HttpServerRequest req, boolean allowed, Function<HTTPRequest, HTTPResponse> endpoint) {
        if (!allowed) {
            methodNotAllowed(req);
            return;
        }
        URI url = URI.create(provider.issuer() + req.path());
        HTTPRequest.Method method = req.method() == HttpMethod.POST ? HTTPRequest.Method.POST : HTTPRequest.Method.GET;
        HTTPRequest nimbus = new HTTPRequest(method, url);
        for (String name : List.of("Authorization", "Content-Type", "Accept", "DPoP")) {
            String value = req.getHeader(name);
            if (value != null) {
                nimbus.setHeader(name, value);
            }
        }
        if (method == HTTPRequest.Method.GET) {
            nimbus.appendQueryString(req.query());
            work(req, () -> endpoint.apply(nimbus), this::apiAnswer);
            return;
        }
        readBody(req, body -> {
            nimbus.setBody(body);
            work(req, () -> endpoint.apply(nimbus), this::apiAnswer);
        });
    }

    /** Reads the body up to {@link #MAX_BODY} bytes as UTF-8; a larger one is answered 413. */
    private void readBody(HttpServerRequest req, java.util.function.Consumer<String> then) {
        String length = req.getHeader("Content-Length");
        if (length != null) {
            try {
                if (Long.parseLong(length) > MAX_BODY) {
                    tooLarge(req);
                    return;
                }
            } catch (NumberFormatException e) {
                req.response().setStatusCode(400).end();
                return;
            }
        }
        Buffer body = Buffer.buffer();
        boolean[] overflow = {false};
        req.handler(chunk -> {
            if (overflow[0]) {
                return;
            }
            if (body.length() + chunk.length() > MAX_BODY) {
                overflow[0] = true;
                tooLarge(req);
            } else {
                body.appendBuffer(chunk);
            }
        });
        req.endHandler(v -> {
            if (!overflow[0]) {
                then.accept(body.toString(StandardCharsets.UTF_8));
            }
        });
    }

    /** Runs {@code task} on a worker thread, then writes its result on the event loop. */
    private <T> void work(HttpServerRequest req, java.util.concurrent.Callable<T> task,
            BiFunction<HttpServerRequest, T, Void> write) {
        vertx.executeBlocking(task, false).onComplete(ar -> {
            if (ar.succeeded()) {
                write.apply(req, ar.result());
                return;
            }
            Throwable e = ar.cause();
            boolean unavailable = e instanceof StoreUnavailableException;
            LOG.error("{} {} failed: {}", req.method(), req.path(), e.getClass().getName(), unavailable ? null : e);
            if (req.path().equals("/token") || req.path().equals("/revoke") || req.path().equals("/userinfo")) {
                req.response().setStatusCode(unavailable ? 503 : 500).putHeader("Content-Type", "application/json")
                        .putHeader("Cache-Control", "no-store")
                        .end(unavailable ? "{\"error\":\"temporarily_unavailable\"}" : "{\"error\":\"server_error\"}");
            } else {
                page(req, unavailable ? 503 : 500, pages.message("Something went wrong",
                        unavailable ? "The sign-in service is unavailable right now. Try again in a moment."
                                : "The sign-in service had a problem. Try again."));
            }
        });
    }

    private Void browserAnswer(HttpServerRequest req, BrowserAnswer a) {
        HttpServerResponse res = req.response();
        boolean secure = provider.secureCookies();
        if (a.sessionCookie() != null) {
            res.putHeader("Set-Cookie", COOKIE + "=" + a.sessionCookie() + "; Path=/; HttpOnly; SameSite=Lax"
                    + (secure ? "; Secure" : ""));
        } else if (a.clearSessionCookie()) {
            res.putHeader("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""));
        }
        if (a.location() != null) {
            res.setStatusCode(303).putHeader("Location", a.location().toString())
                    .putHeader("Cache-Control", "no-store")
                    .putHeader("Referrer-Policy", "no-referrer")
                    .end();
            return null;
        }
        page(req, a.status(), pages.render(a.page()));
        return null;
    }

    private Void apiAnswer(HttpServerRequest req, HTTPResponse r) {
        HttpServerResponse res = req.response().setStatusCode(r.getStatusCode());
        r.getHeaderMap().forEach((name, values) -> values.forEach(v -> res.headers().add(name, v)));
        res.headers().set("Cache-Control", "no-store");
        String body = r.getBody();
        res.end(body == null ? "" : body);
        return null;
    }

    private void page(HttpServerRequest req, int status, String html) {
        req.response().setStatusCode(status)
                .putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store")
                .putHeader("Content-Security-Policy",
                        "default-src 'none'; style-src 'self'; img-src 'self' https: data:; frame-ancestors 'none'; base-uri 'none'")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .end(html);
    }

    private void methodNotAllowed(HttpServerRequest req) {
        req.response().setStatusCode(405).putHeader("Content-Type", "text/plain; charset=utf-8").end("Method not allowed\n");
    }

    private void tooLarge(HttpServerRequest req) {
        req.response().setStatusCode(413).putHeader("Content-Type", "text/plain; charset=utf-8")
                .putHeader("Connection", "close").end("Request body too large\n");
    }
}
