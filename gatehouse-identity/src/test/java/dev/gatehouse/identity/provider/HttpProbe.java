package dev.gatehouse.identity.provider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request with everything of its answer kept (status, every header, body), for the security tests that
 * judge headers {@link TestBrowser} does not keep. No redirects are followed; the provider's cookie is sent only
 * when given.
 */
final class HttpProbe {
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    record Answer(int status, HttpHeaders headers, String body) {
        /** The first value of header {@code name}, or null. */
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        List<String> all(String name) {
            return headers.allValues(name);
        }
    }

    private HttpProbe() {
    }

    static Answer get(URI uri, String cookie) {
        return send("GET", uri, cookie, Map.of(), null);
    }

    static Answer post(URI uri, String cookie, Map<String, String> form) {
        return send("POST", uri, cookie, Map.of("Content-Type", "application/x-www-form-urlencoded"), TestBrowser.form(form));
    }

    static Answer send(String method, URI uri, String cookie, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        if (cookie != null) {
            b.header("Cookie", "gatehouse-idp=" + cookie);
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
