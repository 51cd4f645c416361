package dev.gatehouse.server.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scripted browser: one cookie jar, requests that look like a SPA's {@code fetch} or like navigations, and
 * redirects followed by hand. Cookies are kept by name only and sent to every 127.0.0.1 server, as a real
 * browser does across ports, and {@code Secure} is ignored on loopback (as browsers do for localhost).
 * Every response is handed to the harness's {@link ResponseLog} for the no-token scan.
 */
public final class Browser {
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private final String base;
    private final ResponseLog log;
    private final Map<String, String> cookies = new LinkedHashMap<>();

    /** A response as the test sees it. */
    public record Response(int status, java.net.http.HttpHeaders headers, String body, URI uri) {
        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        public String location() {
            return headers.firstValue("location").orElse(null);
        }

        public List<String> setCookies() {
            return headers.allValues("set-cookie");
        }
    }

    Browser(String base, ResponseLog log) {
        this.base = base;
        this.log = log;
    }

    public String cookie(String name) {
        return cookies.get(name);
    }

    public Map<String, String> cookies() {
        return Map.copyOf(cookies);
    }

    public void setCookie(String name, String value) {
        cookies.put(name, value);
    }

    public void clearCookies() {
        cookies.clear();
    }

    /** A {@code fetch()} from the SPA: same-origin, CORS mode, JSON accepted. */
    public Response fetch(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = request(path)
                .header("Accept", "application/json")
                .header("Sec-Fetch-Mode", "cors")
                .header("Sec-Fetch-Site", "same-origin")
                .header("Sec-Fetch-Dest", "empty");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.setHeader(headers[i], headers[i + 1]);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return send(b.build());
    }

    public Response get(String path, String... headers) {
        return fetch("GET", path, null, headers);
    }

    /** A state-changing {@code fetch()} that carries the CSRF header, as the SPA's API client does. */
    public Response post(String path, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "X-CSRF";
        all[1] = "1";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return fetch("POST", path, body, all);
    }

    /** A top-level navigation (typed URL or link click), without following redirects. */
    public Response navigate(String pathOrUrl) {
        return send(request(pathOrUrl)
                .header("Accept", "text/html,application/xhtml+xml")
                .header("Sec-Fetch-Mode", "navigate")
                .header("Sec-Fetch-Dest", "document")
                .header("Sec-Fetch-Site", "none")
                .GET().build());
    }

    /** Navigates and follows redirects (gateway and provider alike) until a non-redirect answer. */
    public Response navigateFollowing(String pathOrUrl) {
        Response r = navigate(pathOrUrl);
        for (int hops = 0; hops < 10 && r.status() >= 300 && r.status() < 400 && r.location() != null; hops++) {
            r = navigate(r.uri().resolve(r.location()).toString());
        }
        return r;
    }

    /** Sends a raw request (any headers), for tests that need exact control. */
    public Response send(HttpRequest request) {
        try {
            HttpResponse<String> res = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            for (String set : res.headers().allValues("set-cookie")) {
                store(set);
            }
            Response response = new Response(res.statusCode(), res.headers(), res.body(), res.uri());
            log.record(response);
            return response;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request builder for a path on the gateway (or an absolute URL) with this browser's cookies. */
    public HttpRequest.Builder request(String pathOrUrl) {
        URI uri = pathOrUrl.startsWith("http") ? URI.create(pathOrUrl) : URI.create(base + pathOrUrl);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        if (!cookies.isEmpty()) {
            StringBuilder header = new StringBuilder();
            cookies.forEach((k, v) -> header.append(header.length() == 0 ? "" : "; ").append(k).append('=').append(v));
            b.header("Cookie", header.toString());
        }
        return b;
    }

    private void store(String setCookie) {
        String pair = setCookie.split(";", 2)[0];
        int eq = pair.indexOf('=');
        if (eq <= 0) {
            return;
        }
        String name = pair.substring(0, eq).trim();
        String value = pair.substring(eq + 1).trim();
        boolean expired = setCookie.toLowerCase(java.util.Locale.ROOT).contains("max-age=0") || value.isEmpty();
        if (expired) {
            cookies.remove(name);
        } else {
            cookies.put(name, value);
        }
    }
}
