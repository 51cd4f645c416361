package dev.gatehouse.bench;

import dev.gatehouse.server.proxy.UpstreamHeaders;
import dev.gatehouse.server.session.SessionCookie;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Header rewriting on the request headers a browser's {@code fetch} sends (Chrome 131, 15 headers with client
 * hints, a {@code Connection: keep-alive} and five cookies around the session cookie).
 *
 * <p>{@code droppedCheck} runs {@link UpstreamHeaders#dropped} over every name; {@code cookieStrip} removes the
 * gateway's cookies from the {@code Cookie} header; {@code rewrite} is the whole step as the proxy endpoint does
 * it on a Vert.x header map (copied here, since that code is package-private): scrub dropped and
 * {@code Connection}-named headers, strip the gateway's cookies, set {@code X-Forwarded-*} and the token.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HeaderRewriteBenchmark {
    private static final String TOKEN = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiYXQrand0In0.e30.c2ln";

    private SessionCookie cookie;
    private String[] names;
    private String cookieHeader;
    private MultiMap browser;

    @Setup(Level.Trial)
    public void setUp() {
        HotPath hot = new HotPath();
        cookie = hot.sessions.cookie();
        cookieHeader = HotPath.cookieHeader(cookie.name(), cookie.newValue());
        Map<String, String> headers = HotPath.browserHeaders(cookieHeader);
        names = headers.keySet().toArray(new String[0]);
        browser = MultiMap.caseInsensitiveMultiMap();
        headers.forEach(browser::add);
        MultiMap out = rewrite();
        if (out.contains("Connection") || out.get("Cookie").contains(cookie.name()) || !out.contains("X-Forwarded-For")) {
            throw new IllegalStateException("the rewrite does not behave as the proxy does: " + out);
        }
    }

    @Benchmark
    public int droppedCheck() {
        int dropped = 0;
        for (String name : names) {
            if (UpstreamHeaders.dropped(name)) {
                dropped++;
            }
        }
        return dropped;
    }

    @Benchmark
    public String cookieStrip() {
        return cookie.withoutOwnCookies(cookieHeader);
    }

    @Benchmark
    public MultiMap rewrite() {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(browser);
        List<String> drop = null;
        for (String name : headers.names()) {
            if (UpstreamHeaders.dropped(name)) {
                if (drop == null) {
                    drop = new ArrayList<>(4);
                }
                drop.add(name);
            }
        }
        String connection = headers.get(HttpHeaders.CONNECTION);
        if (connection != null) {
            for (String t : connection.split(",")) {
                if (drop == null) {
                    drop = new ArrayList<>(4);
                }
                drop.add(t.trim());
            }
        }
        if (drop != null) {
            drop.forEach(headers::remove);
        }
        String cookies = cookie.withoutOwnCookies(headers.get(HttpHeaders.COOKIE));
        if (cookies == null) {
            headers.remove(HttpHeaders.COOKIE);
        } else {
            headers.set(HttpHeaders.COOKIE, cookies);
        }
        headers.set("X-Forwarded-For", "203.0.113.7");
        headers.set("X-Forwarded-Proto", "https");
        headers.set("X-Forwarded-Host", "app.example.com");
        headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN);
        return headers;
    }
}
